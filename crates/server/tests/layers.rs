//! The server's modules stand in layers: none reaches back into a module that reaches it, and
//! the storage interface speaks the domain (no web framework, no database engine in it), so
//! another store can implement it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of the server's library with the modules it names (`crate::x`), a module's
/// folder of submodules counted as the module.
fn modules() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        let (Some(stem), Some("rs")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        if stem == "main" {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).expect("source");
        if let Ok(sub) = std::fs::read_dir(src.join(stem)) {
            for file in sub {
                let file = file.expect("entry").path();
                if file.extension().is_some_and(|e| e == "rs") {
                    text.push_str(&std::fs::read_to_string(file).expect("source"));
                }
            }
        }
        texts.insert(stem.to_owned(), text);
    }
    let names: BTreeSet<String> = texts.keys().cloned().collect();
    texts
        .into_iter()
        .map(|(module, text)| {
            let named = text
                .split("crate::")
                .skip(1)
                .map(|rest| {
                    rest.chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect::<String>()
                })
                .filter(|n| *n != module && names.contains(n))
                .collect();
            (module, named)
        })
        .collect()
}

#[test]
fn no_module_reaches_back_into_one_that_reaches_it() {
    let graph = modules();
    assert!(
        graph.contains_key("db") && graph.contains_key("api"),
        "{graph:?}"
    );
    // A module reaches another when a path of names leads there; none reaches itself.
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&String> = graph[start].iter().collect();
        while let Some(next) = todo.pop() {
            assert_ne!(next, start, "{start} reaches itself through {seen:?}");
            if seen.insert(next.clone()) {
                todo.extend(graph[next].iter());
            }
        }
    }
}

#[test]
fn the_storage_interface_speaks_the_domain() {
    let db = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db.rs"))
        .expect("db.rs");
    let start = db.find("pub trait Storage").expect("the trait");
    let end = start + db[start..].find("\n}\n").expect("its end");
    let interface = &db[start..end];
    for foreign in ["rusqlite", "axum", "auth::", "http::", "Connection"] {
        assert!(
            !interface.contains(foreign),
            "the storage interface names {foreign}"
        );
    }
    let errors = db.find("pub enum DbError").expect("the errors");
    let errors = &db[errors..errors + db[errors..].find("\n}\n").expect("end")];
    assert!(
        !errors.contains("rusqlite"),
        "DbError holds SQLite's errors"
    );
}
