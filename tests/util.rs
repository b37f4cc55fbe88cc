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
