//! Every `#[derive(Table)]` linked into the binary, found through `inventory`, with no
//! list to maintain.

use super::TableDef;

/// One registered model. Created only by the derive.
#[doc(hidden)]
pub struct Registration {
    def: &'static TableDef,
}

impl Registration {
    #[doc(hidden)]
    pub const fn new(def: &'static TableDef) -> Self {
        Registration { def }
    }
}

inventory::collect!(Registration);

/// All registered table definitions, sorted by (schema, table name) so that the
/// result does not depend on link order.
pub fn registered() -> Vec<&'static TableDef> {
    let mut defs: Vec<&'static TableDef> = inventory::iter::<Registration>.into_iter().map(|r| r.def).collect();
    defs.sort_by(|a, b| {
        (a.schema, a.name, a.module_path, a.rust_type).cmp(&(b.schema, b.name, b.module_path, b.rust_type))
    });
    defs
}
