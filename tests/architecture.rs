//! The layer order of docs/ARCHITECTURE.md, enforced: every `crate::` path in `src/` (outside
//! `#[cfg(test)]` code and comments) must point to a module of a lower layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::util::root;

/// `layer N: a b c` lines of the fenced list in docs/ARCHITECTURE.md → module → layer.
fn layers() -> BTreeMap<String, usize> {
    let doc = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).unwrap();
    let mut out = BTreeMap::new();
    for line in doc.lines() {
        let Some(rest) = line.strip_prefix("layer ") else {
            continue;
        };
        let (n, mods) = rest.split_once(':').expect("`layer N: modules`");
        let n: usize = n.trim().parse().expect("a layer number");
        for m in mods.split_whitespace() {
            assert!(out.insert(m.to_string(), n).is_none(), "{m} listed twice");
        }
    }
    assert!(
        !out.is_empty(),
        "no `layer N:` lines in docs/ARCHITECTURE.md"
    );
    out
}

/// Top-level modules of src/ (files and folders, without lib.rs and main.rs).
fn modules() -> BTreeSet<String> {
    std::fs::read_dir(root().join("src"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            let m = name.strip_suffix(".rs").unwrap_or(&name).to_string();
            (m != "lib" && m != "main").then_some(m)
        })
        .collect()
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            rust_files(&e.unwrap().path(), out);
        }
    } else if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The code of a file without comments and without its `#[cfg(test)]` tail (tests may use any
/// module to set up their data).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::x` or `crate::{x, y::z}`.
fn references(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<String>()
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut top = String::new();
            for c in group.chars() {
                depth += i32::from(c == '{') - i32::from(c == '}');
                if depth == 0 {
                    break;
                }
                top.push(if depth == 1 { c } else { ' ' });
            }
            out.extend(top.split(',').map(|p| ident(p.trim())));
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

#[test]
fn every_module_has_a_layer() {
    let layers = layers();
    let modules = modules();
    let missing: Vec<_> = modules
        .iter()
        .filter(|m| !layers.contains_key(*m))
        .collect();
    let stale: Vec<_> = layers.keys().filter(|m| !modules.contains(*m)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "docs/ARCHITECTURE.md: modules without a layer {missing:?}, listed but absent {stale:?}"
    );
}

#[test]
fn modules_use_only_lower_layers() {
    let layers = layers();
    let mut broken = Vec::new();
    for (module, &layer) in &layers {
        let mut files = Vec::new();
        let dir = root().join("src").join(module);
        rust_files(&dir, &mut files);
        rust_files(&dir.with_extension("rs"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for used in references(&code(&text)) {
                let Some(&used_layer) = layers.get(&used) else {
                    continue;
                };
                if used != *module && used_layer >= layer {
                    let file = file.strip_prefix(root()).unwrap().display().to_string();
                    broken.push(format!(
                        "{file}: {module} (layer {layer}) uses {used} (layer {used_layer})"
                    ));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "imports against the layer order:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_checker_sees_imports() {
    // The test above must be able to fail: these are the forms it has to recognise.
    let code = code("use crate::rdf::Base;\nuse crate::{facts::x, model};\n// crate::serve\n");
    let found: Vec<_> = references(&code).into_iter().collect();
    assert_eq!(found, ["facts", "model", "rdf"]);
}
