//! Test harness: run the real binary in a fresh folder, read its CSVs, make broken copies of the
//! oracle scenario.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `fairglb ARGS` in `cwd`.
pub fn fairglb(cwd: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_fairglb"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

/// Runs and asserts success; returns stdout.
pub fn fairglb_ok(cwd: &Path, args: &[&str]) -> String {
    let out = fairglb(cwd, args);
    assert!(
        out.status.success(),
        "fairglb {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs and asserts exit code 2; returns stderr.
pub fn fairglb_err(cwd: &Path, args: &[&str]) -> String {
    let out = fairglb(cwd, args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(2),
        "fairglb {args:?} should fail with 2; stderr:\n{stderr}"
    );
    stderr
}

/// A CSV file as rows of column -> value.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The value of `column` in the first row where every `(key, value)` of `filter` matches.
pub fn cell(rows: &[HashMap<String, String>], filter: &[(&str, &str)], column: &str) -> f64 {
    let row = rows
        .iter()
        .find(|r| filter.iter().all(|(k, v)| r[*k] == *v))
        .unwrap_or_else(|| panic!("no row with {filter:?}"));
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {} is not a number", row[column]))
}

/// A temporary copy of `tests/data/oracle`.
pub fn oracle_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo().join("tests/data/oracle")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// Replaces `from` by `to` in `dir/file` (asserting `from` occurs).
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Asserts `a` and `b` agree to a relative tolerance.
pub fn assert_close(a: f64, b: f64, rel: f64, what: &str) {
    assert!(
        (a - b).abs() <= rel * b.abs().max(1e-12),
        "{what}: {a} vs {b} (relative tolerance {rel})"
    );
}

/// Runs `fairglb run SCENARIO --out out EXTRA` in `dir`; expects exit 2, nothing written, and
/// `needles` in stderr.
pub fn fails_in(dir: &std::path::Path, scenario: &str, extra: &[&str], needles: &[&str]) {
    let mut args = vec!["run", scenario, "--out", "out"];
    args.extend_from_slice(extra);
    let stderr = fairglb_err(dir, &args);
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "stderr should contain `{needle}`:\n{stderr}"
        );
    }
    assert!(!dir.join("out").exists(), "nothing may be written on error");
}

/// A results folder's manifest without its `command_line`, the one field that differs between
/// two runs of the same scenario with other `--out` folders.
pub fn manifest_but_command_line(dir: &Path) -> serde_json::Value {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let removed = manifest.as_object_mut().unwrap().remove("command_line");
    assert!(removed.is_some(), "{} has a command_line", path.display());
    manifest
}

/// Asserts that every file of the results folder `a` but `timings.csv` and `manifest.json` is
/// byte for byte the file of `b`, that both hold the same files, and that their manifests differ
/// at most in `command_line`.
pub fn assert_same_results(a: &Path, b: &Path) {
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(a), names(b), "the same files");
    for name in names(a) {
        if name == "timings.csv" || name == "manifest.json" || name.starts_with('.') {
            continue;
        }
        let (x, y) = (
            std::fs::read(a.join(&name)).unwrap(),
            std::fs::read(b.join(&name)).unwrap(),
        );
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
    assert_eq!(manifest_but_command_line(a), manifest_but_command_line(b));
}
