//! What the fuzz targets share: one scratch folder per process, and splitting an input into the
//! files a reader takes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// This process's scratch folder (made once; the fuzzer runs inputs one after another).
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a scratch folder"))
        .path()
}

/// The repository root (the fuzz crate sits in `fuzz/`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `data` split at each byte 0 into at most `n` parts (the last takes the rest).
pub fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |&b| b == 0).collect()
}

/// Writes `bytes` to `dir/name`, creating `dir`; an empty folder replaces whatever was there.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    std::fs::create_dir_all(dir).expect("scratch folder");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("scratch file");
    path
}

/// An empty folder `name` in the scratch folder.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = scratch().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// `.csv`, or `.csv.gz` when the input's first byte is odd (so both readers' paths are fuzzed).
pub fn csv_name(stem: &str, data: &[u8]) -> String {
    match data.first().is_some_and(|b| b % 2 == 1) {
        true => format!("{stem}.csv.gz"),
        false => format!("{stem}.csv"),
    }
}
