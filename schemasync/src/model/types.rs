//! The SQL type of a Rust type, declared once for every field that uses it.
//!
//! `#[derive(Table)]` asks [`SqlType`] for the type of every field whose type is not a
//! primitive (`i16`, `i32`, `i64`, `f32`, `f64`, `bool`, `String`, `Vec<u8>`). The
//! compiler resolves the trait the way the field's type is written, so a type named
//! `Date` is chrono's only if it *is* chrono's.

use super::TypeDef;

/// A Rust type's column type.
///
/// schemasync implements it for the types sqlx maps (chrono, time, uuid, rust_decimal,
/// serde_json, `IpAddr`, ipnetwork, each behind its feature), for `Option<T>` (a
/// nullable `T`, however deep) and `Vec<T>` (a PostgreSQL array of `T`). For a type of
/// your own:
///
/// - a fieldless enum: `#[derive(sqlx::Type, schemasync::SqlEnum)]`;
/// - a `#[sqlx(transparent)]` newtype: `#[derive(sqlx::Type, schemasync::SqlType)]`,
///   which maps it like the type it wraps;
/// - anything else: implement it.
///
/// ```
/// use schemasync::model::{SqlType, TypeDef};
///
/// /// Cents, stored as a bigint.
/// struct Money(i64);
///
/// impl SqlType for Money {
///     const TYPE: TypeDef = TypeDef::BigInt;
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "schemasync does not know the column type of `{Self}`",
    label = "no SQL type for this field",
    note = "for a fieldless enum, add #[derive(sqlx::Type, schemasync::SqlEnum)] to it; for a #[sqlx(transparent)] newtype, #[derive(sqlx::Type, schemasync::SqlType)]",
    note = "for any other type, `impl schemasync::model::SqlType for {Self}`, or give the field #[column(sql_type = \"...\")]",
    note = "chrono, time, uuid, rust_decimal and serde_json types need schemasync's feature of the same name"
)]
pub trait SqlType {
    /// The column type.
    const TYPE: TypeDef;
    /// Whether the type itself allows NULL (`Option<T>`).
    const NULLABLE: bool = false;
    /// The column type of `Vec<Self>`: an array of `TYPE`, unless the type says
    /// otherwise (`Vec<u8>` is bytes).
    const VEC: TypeDef = TypeDef::Array(&Self::TYPE);
}

impl<T: SqlType> SqlType for Option<T> {
    const TYPE: TypeDef = T::TYPE;
    const NULLABLE: bool = true;
}

impl<T: SqlType> SqlType for Vec<T> {
    const TYPE: TypeDef = T::VEC;
}

impl<T: SqlType + ?Sized> SqlType for Box<T> {
    const TYPE: TypeDef = T::TYPE;
    const NULLABLE: bool = T::NULLABLE;
}

macro_rules! sql_types {
    ($($(#[$cfg:meta])* $ty:ty => $def:expr;)*) => {$(
        $(#[$cfg])*
        impl SqlType for $ty {
            const TYPE: TypeDef = $def;
        }
    )*};
}

sql_types! {
    i16 => TypeDef::SmallInt;
    i32 => TypeDef::Integer;
    i64 => TypeDef::BigInt;
    f32 => TypeDef::Real;
    f64 => TypeDef::Double;
    bool => TypeDef::Boolean;
    String => TypeDef::Text;
    std::net::IpAddr => TypeDef::Inet;
    std::net::Ipv4Addr => TypeDef::Inet;
    std::net::Ipv6Addr => TypeDef::Inet;
    #[cfg(feature = "chrono")]
    sqlx::types::chrono::NaiveDate => TypeDef::Date;
    #[cfg(feature = "chrono")]
    sqlx::types::chrono::NaiveTime => TypeDef::Time(None);
    #[cfg(feature = "chrono")]
    sqlx::types::chrono::NaiveDateTime => TypeDef::Timestamp(None);
    #[cfg(feature = "time")]
    sqlx::types::time::Date => TypeDef::Date;
    #[cfg(feature = "time")]
    sqlx::types::time::Time => TypeDef::Time(None);
    #[cfg(feature = "time")]
    sqlx::types::time::PrimitiveDateTime => TypeDef::Timestamp(None);
    #[cfg(feature = "time")]
    sqlx::types::time::OffsetDateTime => TypeDef::TimestampTz(None);
    #[cfg(feature = "uuid")]
    sqlx::types::Uuid => TypeDef::Uuid;
    #[cfg(feature = "rust_decimal")]
    sqlx::types::Decimal => TypeDef::Decimal(None);
    #[cfg(feature = "json")]
    sqlx::types::JsonValue => TypeDef::Json;
    #[cfg(feature = "ipnetwork")]
    sqlx::types::ipnetwork::IpNetwork => TypeDef::Cidr;
    #[cfg(feature = "ipnet")]
    sqlx::types::ipnet::IpNet => TypeDef::Cidr;
}

/// `u8` has no column of its own (sqlx cannot decode it from PostgreSQL), but
/// `Vec<u8>` is bytes.
impl SqlType for u8 {
    const TYPE: TypeDef = TypeDef::SmallInt;
    const VEC: TypeDef = TypeDef::Bytes;
}

#[cfg(feature = "chrono")]
impl<Tz: sqlx::types::chrono::TimeZone> SqlType for sqlx::types::chrono::DateTime<Tz> {
    const TYPE: TypeDef = TypeDef::TimestampTz(None);
}

#[cfg(feature = "json")]
impl<T> SqlType for sqlx::types::Json<T> {
    const TYPE: TypeDef = TypeDef::Json;
}

/// A field's type with its `len`, `precision` and `scale`, for types resolved through
/// [`SqlType`]. A setting the type does not take is a compile error, raised when the
/// model's definition is evaluated.
#[doc(hidden)]
pub const fn sized(ty: TypeDef, len: Option<u32>, precision: Option<u8>, scale: Option<u8>) -> TypeDef {
    let ty = match (ty, len) {
        (ty, None) => ty,
        (TypeDef::Text | TypeDef::Varchar(_), Some(n)) => TypeDef::Varchar(n),
        _ => panic!("`len` sets a varchar length, but this field's type is not text"),
    };
    match (ty, precision, scale) {
        (ty, None, None) => ty,
        (TypeDef::Decimal(_), Some(p), s) => {
            let s = match s {
                Some(s) => s,
                None => 0,
            };
            if p == 0 || p > 65 || s > 30 || s > p {
                panic!("decimal precision must be 1 to 65 and scale at most 30 and no larger than the precision");
            }
            TypeDef::Decimal(Some((p, s)))
        }
        (TypeDef::Decimal(_), None, Some(_)) => {
            panic!("`scale` needs `precision` too, like `precision = 12, scale = 2`")
        }
        (TypeDef::Time(_), Some(p), None) if p <= 6 => TypeDef::Time(Some(p)),
        (TypeDef::Timestamp(_), Some(p), None) if p <= 6 => TypeDef::Timestamp(Some(p)),
        (TypeDef::TimestampTz(_), Some(p), None) if p <= 6 => TypeDef::TimestampTz(Some(p)),
        (TypeDef::Time(_) | TypeDef::Timestamp(_) | TypeDef::TimestampTz(_), _, _) => {
            panic!("the precision of a time is its digits of fractional seconds, 0 to 6, and a time has no `scale`")
        }
        _ => panic!("`precision` applies to decimals and times, `scale` to decimals; this field's type is neither"),
    }
}

/// `auto_increment` on a field whose type comes from [`SqlType`]: it must be an integer.
#[doc(hidden)]
pub const fn integer(ty: TypeDef) -> TypeDef {
    match ty {
        TypeDef::SmallInt | TypeDef::Integer | TypeDef::BigInt => ty,
        _ => panic!("`auto_increment` needs an integer type (i16, i32 or i64, or a newtype over one)"),
    }
}
