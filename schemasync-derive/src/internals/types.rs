//! The primitive types the macro maps by name. The macro sees syntax only; every other
//! type's column type comes from its `SqlType` implementation, which the compiler
//! resolves.

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

/// Recognises a (non-`Option`) field type among the primitives, whose names are read
/// as the primitives: `i16`, `i32`, `i64`, `f32`, `f64`, `bool`, `String`, `Vec<u8>`.
/// Every other type is `Unknown`, and its column type comes from its `SqlType`
/// implementation, which the compiler resolves the way the type is written.
pub fn recognise(ty: &Type) -> Recognised {
    use Logical::*;
    if let Some(inner) = single_generic(ty, &["Vec"]) {
        return match last_segment(inner) {
            Some(seg) if seg.ident == "u8" && path_string(inner).as_deref() == Some("u8") => Recognised::Known(Bytes),
            _ => Recognised::Unknown,
        };
    }
    let Some(name) = path_string(ty) else {
        return Recognised::Unknown;
    };
    let known = match name.as_str() {
        "i16" => SmallInt,
        "i32" => Integer,
        "i64" => BigInt,
        "f32" => Real,
        "f64" => Double,
        "bool" => Boolean,
        "String" | "std::string::String" | "alloc::string::String" => Text,
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
