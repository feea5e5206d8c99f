//! The runtime crate's modules import one way: each module may use only the modules
//! listed before it in [`LAYERS`]. A `use crate::x` of a later module is an upward
//! import, and this test fails naming the file, the line and both modules.

use std::path::{Path, PathBuf};

/// Lowest first: the order the data takes, with the shared vocabulary at the bottom.
const LAYERS: &[&str] = &[
    "backend", "style", "options", "schema", "drift", "error", "dialect", "db", "model", "catalog", "diff", "plan",
    "render", "apply", "policy", "history", "generate", "migrator", "report", "sync", "migrate", "cli",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`plan/build.rs` -> `plan`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel.components().next().expect("a component").as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn modules_import_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemasync/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut problems = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        // The crate root, and the programs built on it (src/bin), which are not modules.
        if module == "lib" || module == "bin" {
            continue;
        }
        let Some(own) = rank(&module) else {
            problems.push(format!("{}: module `{module}` is not in LAYERS; add it where it belongs", file.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break; // tests may use anything
            }
            if line.trim_start().starts_with("//") {
                continue;
            }
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                let used: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if used == module || used.is_empty() || used.starts_with(char::is_uppercase) {
                    continue;
                }
                match rank(&used) {
                    Some(r) if r < own => {}
                    Some(_) => problems.push(format!(
                        "{}:{}: `{module}` uses `{used}`, which is above it in LAYERS: {}",
                        file.display(),
                        n + 1,
                        line.trim()
                    )),
                    None => problems.push(format!("{}:{}: unknown module `{used}`", file.display(), n + 1)),
                }
            }
        }
    }
    assert!(problems.is_empty(), "upward imports:\n{}", problems.join("\n"));
}
