//! How a scenario is put together before it is validated: `base = "other.toml"` inheritance
//! (tables merge key by key) and `--set KEY=VALUE` overrides by dotted path.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::raw::RawScenario;
use super::{Scenario, ScenarioFile, Source, validate};
use crate::error::{Error, Result};
use crate::files;

impl ScenarioFile {
    /// Reads and parses `path`; errors carry the file's line and column. A top-level
    /// `base = "other.toml"` (relative to this file) starts from that scenario: tables merge key
    /// by key, any other value here replaces the base's.
    pub fn read(path: &Path) -> Result<ScenarioFile> {
        Self::read_nested(path, 0)
    }

    fn read_nested(path: &Path, depth: usize) -> Result<ScenarioFile> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| Error::file(path, "not UTF-8 text"))?;
        let mut table: toml::Table =
            toml::from_str(&text).map_err(|e| Error::file(path, e.to_string().trim_end()))?;
        let mut hasher = Sha256::new();
        hasher.update(&bytes);
        let Some(base) = table.remove("base") else {
            let raw = toml::from_str::<RawScenario>(&text)
                .map_err(|e| Error::file(path, e.to_string().trim_end()))?;
            let sha256 = files::hex(&hasher.finalize());
            return Ok(ScenarioFile {
                path: path.to_path_buf(),
                sha256,
                raw,
                tree: toml::Value::Table(table),
            });
        };
        let base = base
            .as_str()
            .ok_or_else(|| Error::file(path, "`base` must be a file name"))?;
        if depth >= 8 {
            return Err(Error::file(path, "`base` files nest more than 8 deep (a cycle?)"));
        }
        let base_path = path.parent().unwrap_or(Path::new(".")).join(base);
        let base_file = Self::read_nested(&base_path, depth + 1)?;
        hasher.update(base_file.sha256.as_bytes());
        let mut tree = base_file.tree;
        anchor_trace_paths(&mut tree, &base_path);
        merge_tables(&mut tree, table);
        let raw = tree.clone().try_into::<RawScenario>().map_err(|e| {
            Error::file(
                path,
                format!("{} (with base {})", e.to_string().trim(), base_path.display()),
            )
        })?;
        Ok(ScenarioFile {
            path: path.to_path_buf(),
            sha256: files::hex(&hasher.finalize()),
            raw,
            tree,
        })
    }

    /// A scenario given as an already merged table (a manifest's `effective` scenario), read as
    /// if it were the file `path`.
    pub(super) fn from_tree(path: &Path, table: toml::Table) -> Result<ScenarioFile> {
        let tree = toml::Value::Table(table);
        let raw = tree
            .clone()
            .try_into::<RawScenario>()
            .map_err(|e| Error::file(path, e.to_string().trim_end()))?;
        Ok(ScenarioFile {
            path: path.to_path_buf(),
            sha256: String::new(),
            raw,
            tree,
        })
    }

    /// The scenario with `overrides` (`KEY=VALUE`) applied in order, validated, paths resolved.
    pub fn with_overrides(&self, overrides: &[String]) -> Result<Scenario> {
        let mut raw = self.raw.clone();
        let mut tree = self.tree.clone();
        for item in overrides {
            apply_override(&mut tree, item)?;
            raw = parse_overridden(&tree, item)?;
        }
        anchor_trace_paths(&mut tree, &self.path);
        times_as_strings(&mut tree);
        let toml::Value::Table(effective) = tree else {
            unreachable!("a scenario file is a table")
        };
        let source = Source {
            path: self.path.clone(),
            sha256: self.sha256.clone(),
            overrides: overrides.to_vec(),
            effective,
        };
        ScenarioFile { raw, ..self.clone() }.validated(source)
    }

    /// This file's scenario, validated, with `source` recorded as where it came from.
    pub(super) fn validated(&self, source: Source) -> Result<Scenario> {
        let overrides = source.overrides.clone();
        validate::scenario(self.raw.clone(), source).map_err(|msg| match &overrides[..] {
            [] => Error::file(&self.path, msg),
            _ => Error::file(
                &self.path,
                format!("{msg} (with --set {})", overrides.join(" --set ")),
            ),
        })
    }
}

/// Makes a base file's relative trace paths (and `[latency] matrix`) absolute, so they still point at the same files
/// when the scenario that extends it lives in another folder.
fn anchor_trace_paths(tree: &mut toml::Value, base_path: &Path) {
    let folder = base_path.parent().unwrap_or(Path::new("."));
    let anchor = |value: &mut toml::Value| {
        if let Some(relative) = value.as_str() {
            let anchored =
                std::path::absolute(folder.join(relative)).unwrap_or_else(|_| folder.join(relative));
            *value = toml::Value::String(anchored.display().to_string());
        }
    };
    if let Some(traces) = tree.get_mut("traces").and_then(toml::Value::as_table_mut) {
        traces.iter_mut().for_each(|(_, value)| anchor(value));
    }
    if let Some(matrix) = tree.get_mut("latency").and_then(|l| l.get_mut("matrix")) {
        anchor(matrix);
    }
}

/// Turns every TOML date-time (`--set horizon.start=2022-07-01T00:00:00Z` reads as one) into
/// its text, which the scenario reads the same, so the manifest's effective scenario is plain
/// JSON.
fn times_as_strings(value: &mut toml::Value) {
    match value {
        toml::Value::Datetime(time) => *value = toml::Value::String(time.to_string()),
        toml::Value::Table(table) => table.iter_mut().for_each(|(_, v)| times_as_strings(v)),
        toml::Value::Array(items) => items.iter_mut().for_each(times_as_strings),
        _ => {}
    }
}

/// Merges `over` into `base`: tables key by key, anything else replaced.
fn merge_tables(base: &mut toml::Value, over: toml::Table) {
    let toml::Value::Table(base) = base else { return };
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(existing @ toml::Value::Table(_)), toml::Value::Table(inner)) => {
                merge_tables(existing, inner)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// The most parts a `--set` key may have (`dc.0.capacity_mw` has 3).
pub const MAX_KEY_PARTS: usize = 16;

/// Sets `KEY=VALUE` in the parsed file. VALUE is read as a TOML value (`60`, `true`, `"x"`,
/// `[1, 2]`); anything that is not one is taken as a string, so `routing=partial` works. A part
/// after a list is a 0-based index: `dc.0.capacity_mw`.
fn apply_override(tree: &mut toml::Value, item: &str) -> Result<()> {
    let (key, value) = item.split_once('=').ok_or_else(|| Error::Override {
        key: item.to_string(),
        msg: "expected KEY=VALUE, e.g. equity.water_usd_per_m3=100".into(),
    })?;
    let key = key.trim();
    let err = |msg: String| Error::Override {
        key: key.to_string(),
        msg,
    };
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(err("empty part in dotted key".into()));
    }
    if parts.len() > MAX_KEY_PARTS {
        return Err(err(format!("more than {MAX_KEY_PARTS} parts in a dotted key")));
    }
    let mut node = tree;
    for (depth, part) in parts.iter().enumerate() {
        let walked = parts[..depth].join(".");
        node = match node {
            toml::Value::Table(table) => table
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(Default::default())),
            toml::Value::Array(items) => {
                let len = items.len();
                let index: usize = part.parse().ok().filter(|i| *i < len).ok_or_else(|| {
                    err(format!(
                        "`{walked}` is a list of {len}; `{part}` is not an index below {len}"
                    ))
                })?;
                &mut items[index]
            }
            _ => return Err(err(format!("`{walked}` is a value, not a table"))),
        };
    }
    *node = parse_value(value.trim());
    Ok(())
}

/// Reads a command-line value as TOML (`60`, `true`, `"x"`, `[1, 2]`), else as a bare string.
pub fn parse_value(text: &str) -> toml::Value {
    match toml::from_str::<toml::Table>(&format!("v = {text}")) {
        Ok(mut t) => t.remove("v").expect("the key was just parsed"),
        Err(_) => toml::Value::String(text.to_string()),
    }
}

fn parse_overridden(tree: &toml::Value, item: &str) -> Result<RawScenario> {
    let key = item.split_once('=').map_or(item, |(k, _)| k).trim().to_string();
    tree.clone()
        .try_into::<RawScenario>()
        .map_err(|e| Error::Override {
            key,
            msg: e.to_string().trim().replace('\n', " "),
        })
}
