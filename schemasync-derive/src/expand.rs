//! Code generation from a validated [`Model`]. Nothing here parses attributes.
//!
//! The output is a `static TableDef` (const-evaluable data only), an `inventory`
//! registration, and an `impl Table`, all inside `const _: () = { ... };` and all
//! through `::schemasync::__private`.

use crate::internals::ast::{self, ColumnType, Model};
use crate::internals::ctxt::Ctxt;
use crate::internals::types::Logical;
use crate::internals::{ast::Default, check};
use proc_macro2::TokenStream;
use quote::quote;

/// Entry point: the derived code, or every error plus a stub impl.
pub fn derive(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let model = check::model(&cx, input);
    match (cx.check(), model) {
        (Ok(()), Some(model)) => generate(&model),
        (Err(errors), _) => {
            let errors = errors.to_compile_error();
            let stub = fallback(input);
            quote! { #errors #stub }
        }
        (Ok(()), None) => fallback(input),
    }
}

/// After an error: an impl that keeps the rest of the user's code compiling, so the
/// user sees our error and not a cascade of "trait not implemented".
fn fallback(input: &syn::DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::schemasync::__private::Table for #ident #ty_generics #where_clause {
            fn table_def() -> &'static ::schemasync::__private::TableDef {
                ::core::unreachable!("#[derive(Table)] failed to compile")
            }
        }
    }
}

fn opt_str(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

fn strs(list: &[String]) -> TokenStream {
    quote!(&[#(#list),*])
}

fn opt_u<T: quote::ToTokens>(v: &Option<T>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The column's `TypeDef` expression; `integer`: `auto_increment` asks for an integer.
fn column_type(ty: &ColumnType, integer: bool) -> TokenStream {
    let p = quote!(::schemasync::__private::TypeDef);
    match ty {
        ColumnType::Logical(l) => match l {
            Logical::SmallInt => quote!(#p::SmallInt),
            Logical::Integer => quote!(#p::Integer),
            Logical::BigInt => quote!(#p::BigInt),
            Logical::Real => quote!(#p::Real),
            Logical::Double => quote!(#p::Double),
            Logical::Boolean => quote!(#p::Boolean),
            Logical::Text => quote!(#p::Text),
            Logical::Bytes => quote!(#p::Bytes),
            Logical::Json => quote!(#p::Json),
        },
        ColumnType::Varchar(n) => quote!(#p::Varchar(#n)),
        ColumnType::Custom { any, postgres, mysql, sqlite } => {
            let (any, postgres, mysql, sqlite) = (opt_str(any), opt_str(postgres), opt_str(mysql), opt_str(sqlite));
            quote!(#p::Custom(::schemasync::__private::CustomTypeDef {
                any: #any, postgres: #postgres, mysql: #mysql, sqlite: #sqlite,
            }))
        }
        ColumnType::Trait { ty, len, precision, scale } => {
            // Spanned at the field's type: an error names it there.
            let span = syn::spanned::Spanned::span(&**ty);
            let (len, precision, scale) = (opt_u(len), opt_u(precision), opt_u(scale));
            let sized = quote::quote_spanned! {span=>
                ::schemasync::__private::sized(
                    <#ty as ::schemasync::__private::SqlType>::TYPE, #len, #precision, #scale,
                )
            };
            if integer {
                quote::quote_spanned!(span=> ::schemasync::__private::integer(#sized))
            } else {
                sized
            }
        }
    }
}

/// Whether the column allows NULL: written as `Option`, or a type that says so.
fn nullable(c: &ast::Column) -> TokenStream {
    let written = c.nullable;
    match &c.ty {
        ColumnType::Trait { ty, .. } => {
            let span = syn::spanned::Spanned::span(&**ty);
            quote::quote_spanned!(span=> #written || <#ty as ::schemasync::__private::SqlType>::NULLABLE)
        }
        _ => quote!(#written),
    }
}

fn default(d: &Option<Default>) -> TokenStream {
    let p = quote!(::schemasync::__private::DefaultDef);
    match d {
        None => quote!(::core::option::Option::None),
        Some(Default::Int(v)) => quote!(::core::option::Option::Some(#p::Int(#v))),
        Some(Default::Float(v)) => quote!(::core::option::Option::Some(#p::Float(#v))),
        Some(Default::Bool(v)) => quote!(::core::option::Option::Some(#p::Bool(#v))),
        Some(Default::Str(v)) => quote!(::core::option::Option::Some(#p::Str(#v))),
        Some(Default::Sql(v)) => quote!(::core::option::Option::Some(#p::Sql(#v))),
        Some(Default::SqlPer { any, postgres, mysql, sqlite }) => {
            let (any, postgres, mysql, sqlite) = (opt_str(any), opt_str(postgres), opt_str(mysql), opt_str(sqlite));
            quote!(::core::option::Option::Some(#p::SqlPer(::schemasync::__private::CustomTypeDef {
                any: #any, postgres: #postgres, mysql: #mysql, sqlite: #sqlite,
            })))
        }
    }
}

fn fk_action(a: &Option<String>) -> TokenStream {
    let p = quote!(::schemasync::__private::FkAction);
    match a.as_deref() {
        Some("CASCADE") => quote!(#p::Cascade),
        Some("RESTRICT") => quote!(#p::Restrict),
        Some("SET NULL") => quote!(#p::SetNull),
        Some("SET DEFAULT") => quote!(#p::SetDefault),
        _ => quote!(#p::NoAction),
    }
}

fn key(k: &ast::Key) -> TokenStream {
    let name = opt_str(&k.name);
    let columns = strs(&k.columns);
    quote!(::schemasync::__private::KeyDef { name: #name, columns: #columns })
}

fn generate(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let rust_type = ident.to_string();
    let name = &model.name;
    let schema = opt_str(&model.schema);
    let comment = opt_str(&model.comment);
    let renamed_from = strs(&model.renamed_from);

    let columns = model.columns.iter().map(|c| {
        let field = &c.field;
        let cname = &c.name;
        let ty = column_type(&c.ty, c.auto_increment);
        let nullable = nullable(c);
        let auto = c.auto_increment;
        let identity = if c.identity_always { quote!(Always) } else { quote!(ByDefault) };
        let def = default(&c.default);
        let comment = opt_str(&c.comment);
        let renamed = strs(&c.renamed_from);
        let generated = match &c.generated {
            Some((expr, stored)) => quote!(::core::option::Option::Some((#expr, #stored))),
            None => quote!(::core::option::Option::None),
        };
        quote!(::schemasync::__private::ColumnDef {
            field: #field, name: #cname, ty: #ty, nullable: #nullable, auto_increment: #auto,
            identity: ::schemasync::__private::Identity::#identity,
            default: #def, comment: #comment, renamed_from: #renamed, generated: #generated,
        })
    });
    let primary_key = match &model.primary_key {
        Some(k) => {
            let k = key(k);
            quote!(::core::option::Option::Some(#k))
        }
        None => quote!(::core::option::Option::None),
    };
    let uniques = model.uniques.iter().map(key);
    let indexes = model.indexes.iter().map(|i| {
        let name = opt_str(&i.name);
        let columns = strs(&i.columns);
        let unique = i.unique;
        let predicate = opt_str(&i.predicate);
        let method = opt_str(&i.method);
        let exprs = strs(&i.exprs);
        quote!(::schemasync::__private::IndexDef {
            name: #name, columns: #columns, unique: #unique, predicate: #predicate, method: #method, exprs: #exprs,
        })
    });
    let foreign_keys = model.foreign_keys.iter().map(|f| {
        let name = opt_str(&f.name);
        let columns = strs(&f.columns);
        let ref_schema = opt_str(&f.ref_schema);
        let ref_table = &f.ref_table;
        let ref_columns = strs(&f.ref_columns);
        let on_delete = fk_action(&f.on_delete);
        let on_update = fk_action(&f.on_update);
        quote!(::schemasync::__private::ForeignKeyDef {
            name: #name, columns: #columns, ref_schema: #ref_schema, ref_table: #ref_table,
            ref_columns: #ref_columns, on_delete: #on_delete, on_update: #on_update,
        })
    });
    let checks = model.checks.iter().map(|c| {
        let name = opt_str(&c.name);
        let expr = &c.expr;
        let column = opt_str(&c.column);
        quote!(::schemasync::__private::CheckDef { name: #name, expr: #expr, column: #column })
    });

    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, clippy::all)]
        const _: () = {
            static __SCHEMASYNC_TABLE: ::schemasync::__private::TableDef = ::schemasync::__private::TableDef {
                rust_type: #rust_type,
                module_path: ::core::module_path!(),
                name: #name,
                schema: #schema,
                comment: #comment,
                renamed_from: #renamed_from,
                columns: &[#(#columns),*],
                primary_key: #primary_key,
                uniques: &[#(#uniques),*],
                indexes: &[#(#indexes),*],
                foreign_keys: &[#(#foreign_keys),*],
                checks: &[#(#checks),*],
            };
            ::schemasync::__private::inventory::submit! {
                ::schemasync::__private::Registration::new(&__SCHEMASYNC_TABLE)
            }
            #[automatically_derived]
            impl ::schemasync::__private::Table for #ident {
                fn table_def() -> &'static ::schemasync::__private::TableDef {
                    &__SCHEMASYNC_TABLE
                }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    fn expand(src: &str) -> String {
        let input: syn::DeriveInput = syn::parse_str(src).expect("test input parses");
        let file: syn::File = syn::parse2(super::derive(&input)).expect("expansion is valid Rust");
        prettyplease::unparse(&file)
    }

    #[test]
    fn expansion_of_a_typical_model() {
        insta::assert_snapshot!(expand(
            r#"
            #[table(name = "orders", index(created_at, where = "deleted_at IS NULL"))]
            struct Order {
                #[column(primary_key, auto_increment)]
                id: i64,
                #[column(references = "users(id)", on_delete = "cascade")]
                user_id: i64,
                #[column(len = 32, unique, default = "new")]
                status: String,
                created_at: chrono::DateTime<chrono::Utc>,
                deleted_at: Option<chrono::NaiveDateTime>,
            }
            "#
        ));
    }

    #[test]
    fn expansion_after_an_error_is_the_errors_and_a_stub() {
        insta::assert_snapshot!(expand("struct Bad { #[column(len = 3)] id: i64 }"));
    }
}
