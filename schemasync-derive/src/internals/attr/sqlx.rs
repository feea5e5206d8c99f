//! The `#[sqlx(...)]` keys that change a column: `rename`, `rename_all`, `skip`, `json`,
//! and `flatten` (refused).

use crate::internals::ctxt::Ctxt;
use crate::internals::meta::{self, Value};
use crate::internals::naming;
use syn::{DeriveInput, Lit};

/// `#[sqlx(rename_all = "...")]` on the struct.
pub fn sqlx_rename_all(cx: &Ctxt, input: &DeriveInput) -> Option<String> {
    let mut rule = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("sqlx")) {
        let Ok(items) = meta::parse_attr(attr) else {
            continue;
        };
        for item in items.iter().filter(|i| i.name() == "rename_all") {
            if let Value::Lit(Lit::Str(s), span) = &item.value {
                if naming::rename_all(&s.value(), "x").is_none() {
                    cx.error_at(*span, format!("schemasync does not know the sqlx rename rule `{}`", s.value()));
                } else {
                    rule = Some(s.value());
                }
            }
        }
    }
    rule
}

/// What `#[sqlx(...)]` on a field says that changes the column.
#[derive(Default)]
pub struct SqlxField {
    pub rename: Option<String>,
    pub skip: bool,
    pub json: bool,
    pub flatten: bool,
}

pub fn sqlx_field(cx: &Ctxt, field: &syn::Field) -> SqlxField {
    let mut out = SqlxField::default();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("sqlx")) {
        let Ok(items) = meta::parse_attr(attr) else {
            continue;
        };
        for item in &items {
            match item.name().as_str() {
                "rename" => {
                    if let Value::Lit(Lit::Str(s), _) = &item.value {
                        out.rename = Some(s.value());
                    }
                }
                "skip" => out.skip = true,
                "json" => out.json = true,
                "flatten" => {
                    out.flatten = true;
                    cx.error_at(
                        item.span(),
                        "#[sqlx(flatten)] is not supported by #[derive(Table)]: list the columns in this struct, or mark the field #[column(skip)] and derive Table on the inner struct",
                    )
                }

                _ => {}
            }
        }
    }
    out
}
