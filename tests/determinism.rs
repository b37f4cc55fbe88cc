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
    assert_same_results(a.path(), b.path());
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}
