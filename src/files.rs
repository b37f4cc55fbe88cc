//! File helpers every layer shares: content hashes, and publishing files and folders whole or
//! not at all.
//!
//! Everything written goes first into a temporary file or folder beside its destination, created
//! exclusively under an unpredictable name (so never through a planted symlink), synced, then
//! renamed into place in one step. On any error what was staged is removed, so the disk is as
//! before, and the error names the result, not the temporary path. A results folder replaces an
//! older one by an atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere two renames),
//! and only if that folder holds nothing fairglb did not write there.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The file of a results folder that records what the run was and the others' SHA-256.
pub const MANIFEST: &str = "manifest.json";

/// SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The folder `path` is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `.NAME.` for temporary files and folders beside `path`.
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
    format!(".{}.", name.unwrap_or_default())
}

/// A new, empty temporary file beside `path` whose name ends in `extension` (some encoders
/// choose their format by it); removed when dropped unless [`persist`]ed.
pub fn temp_beside(path: &Path, extension: &str) -> Result<tempfile::TempPath> {
    tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(&format!(".tmp{extension}"))
        .tempfile_in(folder_of(path))
        .map(tempfile::NamedTempFile::into_temp_path)
        .map_err(|e| Error::io(path, e))
}

/// Renames the finished temporary file `tmp` over `path`.
pub fn persist(tmp: tempfile::TempPath, path: &Path) -> Result<()> {
    tmp.persist(path).map_err(|e| Error::io(path, e.error))
}

/// Writes `bytes` to `path` whole or not at all.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(folder_of(path))
        .map_err(|e| Error::io(path, e))?;
    file.write_all(bytes)
        .and_then(|_| file.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    persist(file.into_temp_path(), path)
}

/// A folder filled beside its destination, then published whole with [`Staging::publish`];
/// removed if dropped unpublished.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    /// An empty staging folder for `target` (whose parent is created if missing).
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = folder_of(target);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(target, e))?;
        let dir = tempfile::Builder::new()
            .prefix(&temp_prefix(target))
            .suffix(".staging")
            .tempdir_in(parent)
            .map_err(|e| Error::io(target, e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// The staging folder (write into it, or use [`Staging::write`]).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes the file `name` of the folder (a new file; synced).
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let result = std::fs::File::create_new(self.dir.path().join(name))
            .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()));
        result.map_err(|e| Error::io(self.target.join(name), e))
    }

    /// Moves the folder to its destination. An existing destination is replaced only if
    /// `replaceable` says its entries are all ones fairglb writes there; it is then swapped out
    /// in one step and removed.
    pub fn publish(self, replaceable: impl Fn(&str) -> bool) -> Result<()> {
        let target = &self.target;
        if let Ok(dir) = std::fs::File::open(self.dir.path()) {
            let _ = dir.sync_all();
        }
        match std::fs::symlink_metadata(target) {
            Err(_) => {
                let staged = self.dir.keep();
                std::fs::rename(&staged, target).map_err(|e| {
                    let _ = std::fs::remove_dir_all(&staged);
                    Error::io(target, e)
                })
            }
            Ok(meta) if meta.is_dir() => {
                check_replaceable(target, replaceable)?;
                // After the exchange the staging path holds the old folder; dropping removes it.
                exchange(self.dir.path(), target)
            }
            Ok(_) => Err(Error::file(
                target,
                "exists and is not a folder; choose another output folder",
            )),
        }
    }
}

/// Fails, listing them, if `dir` holds entries `replaceable` does not accept.
fn check_replaceable(dir: &Path, replaceable: impl Fn(&str) -> bool) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut foreign: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| !replaceable(name))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let more = foreign.len().saturating_sub(10);
    foreign.truncate(10);
    let more = if more > 0 {
        format!(", and {more} more")
    } else {
        String::new()
    };
    Err(Error::file(
        dir,
        format!(
            "holds files fairglb did not write there ({}{more}); it replaces a results folder whole, so choose another output folder or move them",
            foreign.join(", ")
        ),
    ))
}

/// Swaps the folders `staged` and `target` in one step.
#[cfg(target_os = "linux")]
fn exchange(staged: &Path, target: &Path) -> Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE).map_err(|e| Error::io(target, e.into()))
}

/// Swaps the folders `staged` and `target`: the old one aside, the new one in, the old one to
/// the staging path.
#[cfg(not(target_os = "linux"))]
fn exchange(staged: &Path, target: &Path) -> Result<()> {
    let aside = staged.with_extension("old");
    std::fs::rename(target, &aside).map_err(|e| Error::io(target, e))?;
    std::fs::rename(staged, target).map_err(|e| Error::io(target, e))?;
    std::fs::rename(&aside, staged).map_err(|e| Error::io(target, e))
}
