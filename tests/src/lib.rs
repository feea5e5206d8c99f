//! Shared test support for schemasync: a fresh database per test on each backend, and
//! the kitchen-sink models that use every type and attribute.

pub mod dynamic;
pub mod harness;
pub mod kitchen_sink;

pub use harness::TestDb;
pub use schemasync::Backend;
