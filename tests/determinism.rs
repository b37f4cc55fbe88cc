//! Same scenario, same bytes.

use crate::util::*;

#[test]
fn two_runs_write_identical_results() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        fairglb_ok(
            &repo(),
            &[
                "run",
                "--set",
                "routing=partial",
                "--set",
                "horizon.hours=72",
                "--out",
                dir.path().to_str().unwrap(),
            ],
        );
    }
    for file in ["regions.csv", "hourly.csv", "summary.csv", "manifest.json"] {
        let (x, y) = (
            std::fs::read(a.path().join(file)).unwrap(),
            std::fs::read(b.path().join(file)).unwrap(),
        );
        assert!(x == y, "{file} differs between two runs");
    }
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}
