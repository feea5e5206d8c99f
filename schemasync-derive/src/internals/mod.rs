//! Parsing and validation: attributes in, a checked [`ast::Model`] out.

pub mod ast;
pub mod attr;
pub mod check;
pub mod ctxt;
pub mod meta;
pub mod naming;
pub mod types;

/// The longest identifier every supported dialect accepts (PostgreSQL's NAMEDATALEN - 1).
pub const MAX_IDENT_BYTES: usize = 63;
