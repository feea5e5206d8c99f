//! `#[derive(SqlEnum)]` and `#[derive(SqlType)]`: a user type's column type, declared
//! once on the type for every field that uses it.
//!
//! The enum's labels are read from sqlx's own attributes (`type_name`, `rename_all`,
//! `rename`), so that the database holds exactly the strings sqlx encodes. This needs a
//! derive on the enum itself: the derive on a model only sees a field's type by name,
//! never the enum's variants.

use crate::internals::ctxt::Ctxt;
use crate::internals::meta::{self, Value};
use crate::internals::naming;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, Lit};

/// `#[derive(SqlEnum)]`.
pub fn derive_enum(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let out = enum_impl(&cx, input);
    match cx.check() {
        Ok(()) => out,
        Err(errors) => errors.to_compile_error(),
    }
}

/// `#[derive(SqlType)]`.
pub fn derive_newtype(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let out = newtype_impl(&cx, input);
    match cx.check() {
        Ok(()) => out,
        Err(errors) => errors.to_compile_error(),
    }
}

/// The string values of `key = "..."` in `#[name(...)]` attributes.
fn attr_strings(cx: &Ctxt, attrs: &[syn::Attribute], name: &str, key: &str) -> Vec<(String, proc_macro2::Span)> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        let items = match meta::parse_attr(attr) {
            Ok(items) => items,
            Err(e) => {
                // sqlx reports its own syntax errors; ours are reported here.
                if name == "schemasync" {
                    cx.syn_error(e);
                }
                continue;
            }
        };
        for item in items.iter().filter(|i| i.name() == key) {
            match &item.value {
                Value::Lit(Lit::Str(s), span) => out.push((s.value(), *span)),
                _ => cx.error_at(item.value_span(), format!("`{key}` expects a string, like `{key} = \"...\"`")),
            }
        }
    }
    out
}

/// Whether `#[name(flag)]` is present.
fn attr_flag(attrs: &[syn::Attribute], name: &str, flag: &str) -> bool {
    attrs.iter().filter(|a| a.path().is_ident(name)).any(|attr| {
        meta::parse_attr(attr)
            .is_ok_and(|items| items.iter().any(|i| i.name() == flag && matches!(i.value, Value::Flag)))
    })
}

/// Checks that `#[schemasync(...)]` holds only `keys`.
fn known_keys(cx: &Ctxt, attrs: &[syn::Attribute], keys: &[&str]) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("schemasync")) {
        if let Ok(items) = meta::parse_attr(attr) {
            for item in items.iter().filter(|i| !keys.contains(&i.name().as_str())) {
                let hint = crate::internals::attr::did_you_mean(&item.name(), keys);
                cx.error_at(
                    item.span(),
                    format!("unknown key `{}` in #[schemasync(...)]{hint}; expected {}", item.name(), keys.join(", ")),
                );
            }
        }
    }
}

fn enum_impl(cx: &Ctxt, input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let Data::Enum(data) = &input.data else {
        cx.error_spanned_by(ident, "#[derive(SqlEnum)] is for a fieldless enum; for a newtype use #[derive(SqlType)]");
        return TokenStream::new();
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(&input.generics, "#[derive(SqlEnum)] does not take generic enums");
    }
    known_keys(cx, &input.attrs, &["as_text"]);
    // `#[repr(i32)]`: sqlx stores the discriminant as that integer.
    let repr = input.attrs.iter().filter(|a| a.path().is_ident("repr")).find_map(|a| {
        let mut found = None;
        let _ = a.parse_nested_meta(|m| {
            for (name, ty) in [("i16", quote!(SmallInt)), ("i32", quote!(Integer)), ("i64", quote!(BigInt))] {
                if m.path.is_ident(name) {
                    found = Some(ty.clone());
                }
            }
            Ok(())
        });
        found
    });
    let type_name = attr_strings(cx, &input.attrs, "sqlx", "type_name").pop().map(|(n, _)| n);
    let rename_all = attr_strings(cx, &input.attrs, "sqlx", "rename_all").pop();
    if let Some((rule, span)) = &rename_all {
        if naming::rename_all(rule, "x").is_none() {
            cx.error_at(*span, format!("schemasync does not know the sqlx rename rule `{rule}`"));
        }
    }
    let as_text = attr_flag(&input.attrs, "schemasync", "as_text");
    let mut labels = Vec::new();
    let mut renamed = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            cx.error_spanned_by(
                &v.ident,
                format!("variant `{}` has fields; a database enum holds fieldless variants only", v.ident),
            );
            continue;
        }
        known_keys(cx, &v.attrs, &["renamed_from"]);
        let written = v.ident.to_string();
        let label = attr_strings(cx, &v.attrs, "sqlx", "rename")
            .pop()
            .map(|(n, _)| n)
            .or_else(|| rename_all.as_ref().and_then(|(rule, _)| naming::rename_all(rule, &written)))
            .unwrap_or(written);
        for (old, span) in attr_strings(cx, &v.attrs, "schemasync", "renamed_from") {
            if old == label {
                cx.error_at(span, "`renamed_from` names the label it is now");
            }
            renamed.push((old, label.clone()));
        }
        if labels.contains(&label) {
            cx.error_spanned_by(&v.ident, format!("two variants are stored as the label `{label}`"));
        }
        labels.push(label);
    }
    if labels.is_empty() && data.variants.is_empty() {
        cx.error_spanned_by(ident, "an enum with no variants has no labels to store");
    }
    let rust_type = ident.to_string();
    let name = type_name.unwrap_or_else(|| rust_type.clone());
    let froms = renamed.iter().map(|(f, _)| f);
    let tos = renamed.iter().map(|(_, t)| t);
    let ty = match repr {
        Some(int) => quote!(::schemasync::__private::TypeDef::#int),
        None => quote! {
            ::schemasync::__private::TypeDef::Enum(&::schemasync::__private::EnumDef {
                rust_type: #rust_type,
                name: #name,
                labels: &[#(#labels),*],
                renamed: &[#((#froms, #tos)),*],
                as_text: #as_text,
            })
        },
    };
    quote! {
        #[automatically_derived]
        impl ::schemasync::__private::SqlType for #ident {
            const TYPE: ::schemasync::__private::TypeDef = #ty;
        }
    }
}

fn newtype_impl(cx: &Ctxt, input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let inner = match &input.data {
        Data::Struct(s) if s.fields.len() == 1 => s.fields.iter().next().map(|f| f.ty.clone()),
        _ => None,
    };
    let Some(inner) = inner else {
        cx.error_spanned_by(
            ident,
            "#[derive(SqlType)] maps a newtype (a struct of one field, like #[sqlx(transparent)] struct UserId(Uuid)) like the type it wraps; for an enum use #[derive(SqlEnum)], for anything else implement schemasync::model::SqlType",
        );
        return TokenStream::new();
    };
    let mut generics = input.generics.clone();
    generics.make_where_clause().predicates.push(syn::parse_quote!(#inner: ::schemasync::__private::SqlType));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::schemasync::__private::SqlType for #ident #ty_generics #where_clause {
            const TYPE: ::schemasync::__private::TypeDef = <#inner as ::schemasync::__private::SqlType>::TYPE;
            const NULLABLE: bool = <#inner as ::schemasync::__private::SqlType>::NULLABLE;
            const VEC: ::schemasync::__private::TypeDef = <#inner as ::schemasync::__private::SqlType>::VEC;
        }
    }
}
