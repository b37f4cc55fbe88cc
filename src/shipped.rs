//! The scenarios and traces the binary carries (every file of the repository's `scenarios/` and
//! `traces/`, embedded at build time), and `fairglb init`: writing them into a new study folder,
//! whole or not at all, so a study runs anywhere without the repository.

use std::path::Path;

use crate::error::{Error, Result};

mod files {
    include!(concat!(env!("OUT_DIR"), "/shipped.rs"));
}

pub use files::FILES;

/// Writes every shipped file into the new folder `dir` (`dir/scenarios/paper.toml`,
/// `dir/traces/...`), keeping their relative paths, so the scenarios find their traces. `dir`
/// must not exist or be empty; the files go into a temporary folder beside it first, renamed into
/// place once all are written. Returns how many files and bytes were written.
pub fn init(dir: &Path) -> Result<(usize, u64)> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(Error::file(
            dir,
            "is not empty: `fairglb init` writes a new study folder, so name one that does not exist",
        ));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".fairglb-init.")
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    let mut bytes = 0;
    for (relative, content) in FILES {
        let path = staging.path().join(relative);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        }
        std::fs::write(&path, content).map_err(|e| Error::io(&path, e))?;
        bytes += content.len() as u64;
    }
    // An empty folder given as DIR is replaced by the finished one.
    if dir.is_dir() {
        std::fs::remove_dir(dir).map_err(|e| Error::io(dir, e))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, dir).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staged);
        Error::io(dir, e)
    })?;
    Ok((FILES.len(), bytes))
}
