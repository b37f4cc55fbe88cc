//! File helpers every layer shares: content hashes, and publishing files and folders whole or
//! not at all.
//!
//! Everything written goes first into a temporary file or folder beside its destination, created
//! exclusively under an unpredictable name (so never through a planted symlink), synced, then
//! renamed into place in one step. On any error what was staged is removed, so the disk is as
//! before, and the error names the result, not the temporary path. A results folder replaces an
//! older one by an atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`; elsewhere three renames),
//! and only if that folder holds nothing fairglb did not write there. Temporary files and folders
//! are locked while their process lives, so what a killed process left is told apart from what a
//! running one is writing, and removed by the next write of the same result.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result, listed};

/// The file of a results folder that records what the run was and the others' SHA-256.
pub const MANIFEST: &str = "manifest.json";

/// The file that marks a sweep's folder.
pub const SWEEP_JSON: &str = "sweep.json";

/// What a results folder holds: one run or one sweep, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderKind {
    /// `fairglb run`'s files, marked by `manifest.json`.
    Run,
    /// `fairglb sweep`'s (or `merge`'s) files, marked by `sweep.json`.
    Sweep,
}

/// Fails if `dir` holds the other kind of results than `writing`, saying what is there, so a
/// sweep never lands among a run's files or a run among a sweep's.
pub fn refuse_other_kind(dir: &Path, writing: FolderKind) -> Result<()> {
    let (marker, what, command) = match writing {
        FolderKind::Run => (SWEEP_JSON, "a sweep (sweep.json, sweep.csv)", "run"),
        FolderKind::Sweep => (MANIFEST, "the results of a run (manifest.json)", "sweep"),
    };
    if dir.join(marker).exists() && !(writing == FolderKind::Sweep && dir.join(SWEEP_JSON).exists()) {
        return Err(Error::file(
            dir,
            format!(
                "holds {what}; a results folder holds one run or one sweep, so give `fairglb {command}` another --out"
            ),
        ));
    }
    Ok(())
}

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

/// Temporary files become results: created as any new file is (0666 less the umask), not 0600.
fn temp_builder<'a, 'b>() -> tempfile::Builder<'a, 'b> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder
}

/// A new, empty temporary file beside `path` whose name ends in `extension` (some encoders
/// choose their format by it); removed when dropped unless [`persist`]ed.
pub fn temp_beside(path: &Path, extension: &str) -> Result<tempfile::TempPath> {
    temp_builder()
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
    let mut file = held_temp_file(path)?;
    file.write_all(bytes)
        .and_then(|_| file.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    file.persist(path).map(drop).map_err(|e| Error::io(path, e.error))
}

/// A new temporary file beside `path`, held (see [`hold`]) until it is persisted or dropped.
fn held_temp_file(path: &Path) -> Result<tempfile::NamedTempFile> {
    for _ in 0..3 {
        let file = temp_builder()
            .prefix(&temp_prefix(path))
            .suffix(".tmp")
            .tempfile_in(folder_of(path))
            .map_err(|e| Error::io(path, e))?;
        if hold(file.as_file(), file.path()) {
            return Ok(file);
        }
    }
    Err(Error::file(
        path,
        "another process keeps removing its temporary files",
    ))
}

/// Takes an exclusive lock on the new temporary file or folder `file` (open at `path`) for as
/// long as it stays open, which tells [`remove_leftovers`] in other processes that it is in
/// use. False if `path` was taken for a leftover and removed in the instant before the lock;
/// true where the file system has no such locks.
fn hold(file: &std::fs::File, path: &Path) -> bool {
    match file.try_lock() {
        Ok(()) => same_entry(file, path),
        Err(std::fs::TryLockError::WouldBlock) => false,
        Err(std::fs::TryLockError::Error(_)) => true,
    }
}

/// Whether the open `file` is still the entry at `path` (not a symlink to it).
#[cfg(unix)]
fn same_entry(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_entry(_: &std::fs::File, _: &Path) -> bool {
    true
}

/// Removes the temporary files and folders beside `path` that a killed fairglb process left
/// (those no living process holds). Where the file system has no locks, nothing is removed.
pub fn remove_leftovers_beside(path: &Path) {
    remove_leftovers(folder_of(path), &temp_prefix(path));
}

/// Removes every temporary file and folder in `dir` that a killed fairglb process left, as
/// [`remove_leftovers_beside`] does.
pub fn remove_leftovers_in(dir: &Path) {
    remove_leftovers(dir, ".");
}

fn remove_leftovers(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Ok(kind) = entry.file_type() else { continue };
        if !name.starts_with(prefix) || !is_temp_name(&name) || kind.is_symlink() {
            continue;
        }
        let path = entry.path();
        let opened = match kind.is_dir() {
            true => std::fs::File::open(&path),
            false => std::fs::OpenOptions::new().read(true).write(true).open(&path),
        };
        let Ok(file) = opened else { continue };
        if file.try_lock().is_ok() && same_entry(&file, &path) {
            let _ = match kind.is_dir() {
                true => std::fs::remove_dir_all(&path),
                false => std::fs::remove_file(&path),
            };
        }
    }
}

/// The file every published folder holds: the names of its other entries, one per line. A
/// folder is replaced only if every entry it holds is listed there (or is a leftover temporary
/// file of fairglb's own), so nothing fairglb did not write is ever deleted.
pub const OWNED: &str = ".fairglb";

/// Whether `name` is a temporary file or folder fairglb left behind (a crash mid-write), of
/// this version or an older one (which named them `.NAME.tmp`).
fn is_leftover(name: &str) -> bool {
    name.starts_with('.') && (name.ends_with(".staging") || name.contains(".tmp"))
}

/// Whether `name` is exactly a temporary name this version gives: `.NAME.` then six random
/// letters or digits, then `.tmp`, `.tmp.png`, `.staging` or `.old.staging`.
fn is_temp_name(name: &str) -> bool {
    let stem = [".old.staging", ".staging", ".tmp.png", ".tmp"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix));
    let Some((head, random)) = stem.and_then(|s| s.rsplit_once('.')) else {
        return false;
    };
    head.len() > 1
        && head.starts_with('.')
        && random.len() == 6
        && random.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The names `dir`'s [`OWNED`] file lists (empty if it has none).
fn owned_names(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(OWNED))
        .map(|text| text.lines().map(String::from).collect())
        .unwrap_or_default()
}

/// Whether `dir` is a folder fairglb published, holding nothing else.
pub fn is_owned_folder(dir: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    meta.is_dir()
        && foreign_entries(dir, &|_, _| false).is_ok_and(|f| f.is_empty())
        && dir.join(OWNED).is_file()
}

/// The entries of `dir` that are neither listed in its [`OWNED`] file, nor fairglb's leftovers,
/// nor accepted by `legacy(dir, name)` (what fairglb wrote there before it kept that list).
fn foreign_entries(dir: &Path, legacy: &dyn Fn(&Path, &str) -> bool) -> Result<Vec<String>> {
    let owned = owned_names(dir);
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut foreign: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != OWNED && !owned.contains(n) && !is_leftover(n) && !legacy(dir, n))
        .collect();
    foreign.sort();
    Ok(foreign)
}

/// A folder filled beside its destination, then published whole with [`Staging::publish`];
/// removed if dropped unpublished.
pub struct Staging {
    dir: tempfile::TempDir,
    /// The staging folder, open and locked while this lives (see [`hold`]).
    _held: std::fs::File,
    target: PathBuf,
}

impl Staging {
    /// An empty staging folder for `target` (whose parent is created if missing; a symlink to a
    /// folder is followed, and the folder it points at is the one replaced).
    pub fn new(target: &Path) -> Result<Staging> {
        let is_link = std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
        let target = match is_link {
            true => std::fs::canonicalize(target).map_err(|e| Error::io(target, e))?,
            false => target.to_path_buf(),
        };
        let parent = folder_of(&target);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(&target, e))?;
        remove_leftovers_beside(&target);
        for _ in 0..3 {
            let dir = tempfile::Builder::new()
                .prefix(&temp_prefix(&target))
                .suffix(".staging")
                .tempdir_in(parent)
                .map_err(|e| Error::io(&target, e))?;
            let Ok(held) = std::fs::File::open(dir.path()) else {
                continue;
            };
            if hold(&held, dir.path()) {
                return Ok(Staging {
                    dir,
                    _held: held,
                    target,
                });
            }
        }
        Err(Error::file(
            &target,
            "another process keeps removing its staging folders",
        ))
    }

    /// The staging folder (write into it, or use [`Staging::write`]).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `err` with a path inside the staging folder shown as the same path in the destination,
    /// the one the user knows.
    pub fn blame(&self, err: Error) -> Error {
        match err {
            Error::Io { path, err } => match path.strip_prefix(self.dir.path()) {
                Ok(inside) => Error::Io {
                    path: self.target.join(inside),
                    err,
                },
                Err(_) => Error::Io { path, err },
            },
            other => other,
        }
    }

    /// Writes the file `name` of the folder (a new file; synced).
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let result = std::fs::File::create_new(self.dir.path().join(name))
            .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()));
        result.map_err(|e| Error::io(self.target.join(name), e))
    }

    /// Moves the folder to its destination, recording its entries in [`OWNED`]. An existing
    /// destination is replaced only if each of its entries is fairglb's (listed in its own
    /// [`OWNED`], a leftover temporary file, or accepted by `legacy(folder, name)`, for folders
    /// written before the list was kept); it is then swapped out in one step and removed.
    pub fn publish(self, legacy: impl Fn(&Path, &str) -> bool) -> Result<()> {
        let mut names = foreign_entries(self.dir.path(), &|_, _| false)?;
        names.sort();
        self.write(OWNED, (names.join("\n") + "\n").as_bytes())?;
        if let Ok(dir) = std::fs::File::open(self.dir.path()) {
            let _ = dir.sync_all();
        }
        let target = &self.target;
        match std::fs::symlink_metadata(target) {
            Err(_) => {
                let staged = self.dir.keep();
                std::fs::rename(&staged, target).map_err(|e| {
                    let _ = std::fs::remove_dir_all(&staged);
                    Error::io(target, e)
                })
            }
            Ok(meta) if meta.is_dir() => {
                refuse_foreign(target, target, &legacy)?;
                exchange(self.dir.path(), target)?;
                let _old = std::fs::File::open(self.dir.path()).inspect(|f| _ = hold(f, self.dir.path()));
                // Checked again on the folder swapped out, in case something arrived meanwhile:
                // then swapped back. Otherwise dropping the staging path removes the old folder.
                if let Err(e) = refuse_foreign(self.dir.path(), target, &legacy) {
                    exchange(self.dir.path(), target)?;
                    return Err(e);
                }
                Ok(())
            }
            Ok(_) => Err(Error::file(
                target,
                "exists and is not a folder; choose another output folder",
            )),
        }
    }
}

/// Fails, listing them, if `dir` (known to the user as `shown_as`) holds entries fairglb did not
/// write there.
fn refuse_foreign(dir: &Path, shown_as: &Path, legacy: &dyn Fn(&Path, &str) -> bool) -> Result<()> {
    let foreign = foreign_entries(dir, legacy)?;
    if foreign.is_empty() {
        return Ok(());
    }
    Err(Error::file(
        shown_as,
        format!(
            "holds files fairglb did not write there ({}); it replaces a results folder whole, so choose another output folder or move them",
            listed(&foreign, ", ")
        ),
    ))
}

/// Swaps the folders `staged` and `target` in one step where the file system can (Linux
/// `renameat2(RENAME_EXCHANGE)`), else by [`exchange_by_renames`].
#[cfg(target_os = "linux")]
fn exchange(staged: &Path, target: &Path) -> Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // File systems without it (NFS, some others) and old kernels.
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => exchange_by_renames(staged, target),
        Err(e) => Err(Error::io(target, e.into())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(staged: &Path, target: &Path) -> Result<()> {
    exchange_by_renames(staged, target)
}

/// Swaps the folders `staged` and `target` by three renames (the old one aside, the new one in,
/// the old one to the staging path), putting the old one back if the new one cannot go in.
fn exchange_by_renames(staged: &Path, target: &Path) -> Result<()> {
    let aside = staged.with_extension("old.staging");
    std::fs::rename(target, &aside).map_err(|e| Error::io(target, e))?;
    if let Err(e) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(Error::io(target, e));
    }
    std::fs::rename(&aside, staged).map_err(|e| Error::io(target, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_versions_temporary_names_count_as_removable() {
        for name in [
            ".out.Ab12cD.staging",
            ".out.Ab12cD.old.staging",
            ".sweep.csv.x1Y2z3.tmp",
            ".a.png.QWERTY.tmp.png",
        ] {
            assert!(is_temp_name(name), "{name}");
        }
        for name in [
            "out.Ab12cD.staging",
            ".notes.tmp",
            ".out.Ab12c.staging",
            ".out.Ab-2cD.tmp",
            "..Ab12cD.tmp",
            ".tmp",
        ] {
            assert!(!is_temp_name(name), "{name}");
        }
    }

    #[test]
    fn leftovers_nobody_holds_are_removed_and_held_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let dead = dir.path().join(".out.AAAAAA.staging");
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join("hourly.csv"), "partial").unwrap();
        let live = Staging::new(&target).unwrap();
        let user = dir.path().join(".out.notes.tmp.txt");
        std::fs::write(&user, "mine").unwrap();
        assert!(!dead.exists(), "a leftover nobody holds is removed");
        let _second = Staging::new(&target).unwrap();
        assert!(live.path().is_dir(), "a staging folder in use is kept");
        assert!(user.exists(), "a name fairglb does not give is kept");
    }
}
