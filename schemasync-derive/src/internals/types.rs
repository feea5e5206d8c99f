//! Which Rust types map to which logical SQL type. The macro sees syntax only, so
//! types are recognised by their path; a type alias or a newtype needs `sql_type`.

use syn::{GenericArgument, PathArguments, Type};

/// The logical types the derive knows. Mirrors `schemasync::model::TypeDef`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Logical {
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    Boolean,
    Text,
    Bytes,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Uuid,
    Decimal,
    Json,
}

impl Logical {
    pub fn is_integer(self) -> bool {
        matches!(self, Logical::SmallInt | Logical::Integer | Logical::BigInt)
    }
}

/// What the derive found for a field's Rust type.
pub enum Recognised {
    Known(Logical),
    /// A type we reject on purpose, with the reason.
    Rejected(String),
    Unknown,
}

/// Splits `Option<T>` into `(true, T)`; anything else is `(false, ty)`.
pub fn unwrap_option(ty: &Type) -> (bool, &Type) {
    if let Some(inner) = single_generic(ty, &["Option"]) {
        return (true, inner);
    }
    (false, ty)
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        Type::Group(g) => last_segment(&g.elem),
        Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

fn single_generic<'a>(ty: &'a Type, names: &[&str]) -> Option<&'a Type> {
    let seg = last_segment(ty)?;
    if !names.iter().any(|n| seg.ident == n) {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let first = types.next()?;
    types.next().is_none().then_some(first)
}

fn path_string(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            Some(p.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"))
        }
        Type::Group(g) => path_string(&g.elem),
        _ => None,
    }
}

/// Recognises a (non-`Option`) field type.
pub fn recognise(ty: &Type) -> Recognised {
    use Logical::*;
    if let Some(inner) = single_generic(ty, &["Vec"]) {
        return match last_segment(inner) {
            Some(seg) if seg.ident == "u8" => Recognised::Known(Bytes),
            _ => Recognised::Unknown,
        };
    }
    if single_generic(ty, &["Json"]).is_some() {
        return Recognised::Known(Json);
    }
    let Some(seg) = last_segment(ty) else {
        return Recognised::Unknown;
    };
    let full = path_string(ty).unwrap_or_default();
    let name = seg.ident.to_string();
    let known = match name.as_str() {
        "i16" => SmallInt,
        "i32" => Integer,
        "i64" => BigInt,
        "f32" => Real,
        "f64" => Double,
        "bool" => Boolean,
        "String" => Text,
        // chrono
        "NaiveDate" => Date,
        "NaiveTime" => Time,
        "NaiveDateTime" => Timestamp,
        "DateTime" => TimestampTz,
        // time
        "Date" => Date,
        "Time" => Time,
        "PrimitiveDateTime" => Timestamp,
        "OffsetDateTime" => TimestampTz,
        "Uuid" => Uuid,
        "Decimal" => Decimal,
        "JsonValue" => Json,
        "Value" if full == "Value" || full.ends_with("serde_json::Value") => Json,
        "u8" | "u16" | "u32" | "u64" | "usize" | "u128" => {
            return Recognised::Rejected(format!(
                "unsigned integer `{name}` is not supported: PostgreSQL and SQLite have no unsigned \
                 integers and sqlx cannot decode `{name}` from PostgreSQL; use a signed type wide \
                 enough for the values (i16, i32 or i64), or set `#[column(sql_type = \"...\")]`"
            ))
        }
        "i8" | "isize" | "i128" => {
            return Recognised::Rejected(format!(
                "`{name}` has no column type every backend can store and decode; use i16, i32 or \
                 i64, or set `#[column(sql_type = \"...\")]`"
            ))
        }
        _ => return Recognised::Unknown,
    };
    Recognised::Known(known)
}
