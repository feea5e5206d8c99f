//! A small, strict reader for `#[table(...)]` and `#[column(...)]` contents.
//!
//! Every item is `key`, `key = literal`, or `key(nested, items)`. Keys may be Rust
//! keywords (`where`, `type`), which `syn::Meta` does not allow.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Lit, Token};

/// One item of an attribute list.
pub struct Item {
    pub key: Ident,
    pub value: Value,
}

/// What follows a key.
pub enum Value {
    /// A bare key: `primary_key`.
    Flag,
    /// `key = literal` (a leading minus is folded into numbers).
    Lit(Lit, Span),
    /// `key = something_else`; kept so the error can point at it.
    Other(Expr),
    /// `key(items)`.
    List(Vec<Item>, Span),
}

impl Item {
    pub fn name(&self) -> String {
        self.key.unraw().to_string()
    }

    pub fn span(&self) -> Span {
        self.key.span()
    }

    /// A short description of the value's kind for error messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Flag => "a bare flag",
            Value::Lit(Lit::Str(_), _) => "a string",
            Value::Lit(Lit::Int(_), _) => "an integer",
            Value::Lit(Lit::Float(_), _) => "a number",
            Value::Lit(Lit::Bool(_), _) => "a boolean",
            Value::Lit(_, _) => "a literal",
            Value::Other(_) => "an expression",
            Value::List(_, _) => "a list",
        }
    }

    /// The span of the value, or of the key for flags.
    pub fn value_span(&self) -> Span {
        match &self.value {
            Value::Flag => self.key.span(),
            Value::Lit(_, span) | Value::List(_, span) => *span,
            Value::Other(expr) => syn::spanned::Spanned::span(expr),
        }
    }
}

impl Parse for Item {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = Ident::parse_any(input)?;
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            let expr: Expr = input.parse()?;
            let span = syn::spanned::Spanned::span(&expr);
            let value = match expr {
                Expr::Lit(lit) => Value::Lit(lit.lit, span),
                Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr, .. }) => match *expr {
                    Expr::Lit(syn::ExprLit { lit: Lit::Int(int), .. }) => {
                        Value::Lit(Lit::Int(syn::LitInt::new(&format!("-{}", int.base10_digits()), span)), span)
                    }
                    Expr::Lit(syn::ExprLit { lit: Lit::Float(float), .. }) => {
                        Value::Lit(Lit::Float(syn::LitFloat::new(&format!("-{}", float.base10_digits()), span)), span)
                    }
                    other => Value::Other(Expr::Unary(syn::ExprUnary {
                        attrs: Vec::new(),
                        op: syn::UnOp::Neg(Default::default()),
                        expr: Box::new(other),
                    })),
                },
                other => Value::Other(other),
            };
            Ok(Item { key, value })
        } else if input.peek(syn::token::Paren) {
            let content;
            let paren = syn::parenthesized!(content in input);
            let items = Punctuated::<Item, Token![,]>::parse_terminated(&content)?;
            Ok(Item { key, value: Value::List(items.into_iter().collect(), paren.span.join()) })
        } else {
            Ok(Item { key, value: Value::Flag })
        }
    }
}

/// Parses the contents of one `#[name(...)]` attribute.
pub fn parse_attr(attr: &syn::Attribute) -> syn::Result<Vec<Item>> {
    match &attr.meta {
        syn::Meta::List(_) => {
            Ok(attr.parse_args_with(Punctuated::<Item, Token![,]>::parse_terminated)?.into_iter().collect())
        }
        other => Err(syn::Error::new_spanned(
            other,
            format!(
                "expected `#[{}(...)]` with a list of settings",
                attr.path().get_ident().map(|i| i.to_string()).unwrap_or_default()
            ),
        )),
    }
}
