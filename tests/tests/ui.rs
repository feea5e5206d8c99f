//! Compile-time behaviour of `#[derive(Table)]`: every mistake is a clear error on the
//! right span (tests/ui/fail, each with its .stderr), and a full model compiles.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
