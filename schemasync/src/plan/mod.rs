//! Turning changes into an ordered plan. For now: dependency ordering of tables.

pub mod order;
