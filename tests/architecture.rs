//! The layering of `docs/architecture.md` holds: every `crate::` path in `src/` (outside comments)
//! goes to a module the map allows, and the map has no cycle. Also the registry against the
//! README's policy table, and the size limits the style guide sets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::util::repo;

/// The "Allowed imports" table: module -> the modules it may import.
fn allowed_imports() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(repo().join("docs/architecture.md")).unwrap();
    let table = text
        .split("## Allowed imports")
        .nth(1)
        .expect("docs/architecture.md has an `## Allowed imports` section");
    let names = |cell: &str| -> BTreeSet<String> {
        cell.split(',')
            .map(|n| n.trim().trim_matches('`').to_string())
            .filter(|n| !n.is_empty())
            .collect()
    };
    table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').collect();
            let module = cells[1].trim().trim_matches('`').to_string();
            (module, names(cells[2]))
        })
        .collect()
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The top-level module a file of `src/` belongs to (`None` for `lib.rs` and `main.rs`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .to_string();
    let module = first.trim_end_matches(".rs").to_string();
    (module != "lib" && module != "main").then_some(module)
}

/// The modules `line` reaches through `crate::NAME`, outside `//` comments.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices("crate::")
        .filter(|(at, _)| !code[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .map(|(at, _)| {
            code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn every_import_follows_the_architecture_map() {
    let map = allowed_imports();
    let src = repo().join("src");
    let mut violations = Vec::new();
    let mut modules = BTreeSet::new();
    for file in rust_files(&src) {
        let Some(module) = module_of(&src, &file) else {
            continue;
        };
        modules.insert(module.clone());
        let Some(allowed) = map.get(&module) else {
            violations.push(format!(
                "{}: module `{module}` is not in docs/architecture.md",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for target in crate_paths(line) {
                if target != module && !allowed.contains(&target) {
                    violations.push(format!(
                        "{}:{}: `{module}` imports `{target}`, which docs/architecture.md does not allow",
                        file.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    let listed: BTreeSet<String> = map.keys().cloned().collect();
    assert_eq!(
        listed, modules,
        "docs/architecture.md lists exactly the modules of src/"
    );
}

#[test]
fn the_architecture_map_has_no_cycle() {
    let map = allowed_imports();
    // Kahn's algorithm: repeatedly remove modules whose allowed imports are all removed.
    let mut left: BTreeMap<String, BTreeSet<String>> = map.clone();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| !left.contains_key(d)))
            .map(|(m, _)| m.clone())
            .collect();
        assert!(!ready.is_empty(), "the map has a cycle among {:?}", left.keys());
        for m in ready {
            left.remove(&m);
        }
    }
    for (module, deps) in &map {
        for d in deps {
            assert!(
                map.contains_key(d),
                "`{module}` may import `{d}`, which the map does not list"
            );
        }
    }
}

#[test]
fn the_import_scanner_sees_paths_and_skips_comments() {
    assert_eq!(crate_paths("use crate::model::Problem;"), ["model"]);
    assert_eq!(
        crate_paths("    let x = crate::files::hex(b); // crate::cli"),
        ["files"]
    );
    assert_eq!(crate_paths("//! see [`crate::build`]"), Vec::<String>::new());
    assert_eq!(crate_paths("use fairglb_crate::x;"), Vec::<String>::new());
}

/// The README's policy table is the registry's, row for row.
#[test]
fn readme_policy_table_is_the_registry() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split("## Policies")
        .nth(1)
        .expect("README has a Policies section");
    let rows: Vec<String> = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(String::from)
        .collect();
    let expected: Vec<String> = fairglb::policy::REGISTRY
        .iter()
        .map(|e| format!("| `{}` | {} | {} |", e.name, e.paper, e.about))
        .collect();
    assert_eq!(
        rows, expected,
        "README's policy table differs from policy::REGISTRY"
    );
}

/// No file of `src/` is over 450 lines and no function over 80 (docs/architecture.md).
#[test]
fn files_and_functions_stay_short() {
    let src = repo().join("src");
    let mut long = Vec::new();
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() > 450 {
            long.push(format!("{}: {} lines", file.display(), lines.len()));
        }
        for (i, line) in lines.iter().enumerate() {
            let Some(at) = line.find("fn ") else { continue };
            let head = &line[..at];
            let item = head.trim_start();
            let is_item = ["", "pub ", "pub(crate) ", "pub(super) ", "const ", "pub const "].contains(&item);
            if !is_item || line.trim_end().ends_with(';') {
                continue;
            }
            let indent = &head[..head.len() - item.len()];
            let close = format!("{indent}}}");
            let end =
                (i..lines.len()).find(|&j| lines[j] == close || (j == i && line.trim_end().ends_with('}')));
            if let Some(end) = end.filter(|end| end - i + 1 > 80) {
                long.push(format!(
                    "{}:{}: a function of {} lines",
                    file.display(),
                    i + 1,
                    end - i + 1
                ));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}
