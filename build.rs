//! Records the git commit fairglb is built from (with `-dirty` when tracked files differ from
//! it) as `FAIRGLB_GIT_COMMIT`, for run manifests (empty when not built from a git checkout),
//! and lists every file of `scenarios/` and `traces/` in `$OUT_DIR/shipped.rs` for the binary to
//! carry (`fairglb init`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn main() {
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_default();
    let dirty = !commit.is_empty()
        && git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let suffix = if dirty { "-dirty" } else { "" };
    println!("cargo:rustc-env=FAIRGLB_GIT_COMMIT={commit}{suffix}");
    if let Some(git_dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        for file in ["HEAD", "index", "logs/HEAD"] {
            println!("cargo:rerun-if-changed={git_dir}/{file}");
        }
    }
    for path in ["src", "Cargo.toml", "build.rs", "scenarios", "traces"] {
        println!("cargo:rerun-if-changed={path}");
    }
    write_shipped();
}

/// Every file below `dir`, sorted.
fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_below(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn write_shipped() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    for dir in ["scenarios", "traces"] {
        files_below(&root.join(dir), &mut files);
    }
    let mut code = String::from(
        "/// Every file of `scenarios/` and `traces/`, by path relative to the repository.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for path in files {
        let relative = path
            .strip_prefix(&root)
            .expect("below the root")
            .to_string_lossy()
            .replace('\\', "/");
        code += &format!(
            "    ({relative:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        );
    }
    code += "];\n";
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("shipped.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
