//! Where a sweep's results live and how its parts come together: `--shard K/N`, the per-run
//! journal that makes a sweep resumable, `sweep.json` (what the folder holds), the atomic
//! rebuild of `sweep.csv`, and [`merge`] of shard folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::SweepInfo;
use super::axes::{cartesian, cell_text, count_runs};
use crate::error::{Error, Result, listed};
use crate::files::{self, Staging, is_owned_folder, sha256_hex, write_atomic};
use crate::output::records_csv;

/// `--shard K/N`: this process runs the runs `i` with `i mod N = K - 1` (K from 1 to N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// K, 1-based.
    pub index: usize,
    /// N.
    pub count: usize,
}

impl Shard {
    /// The whole run list.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Whether run `run` belongs to this shard.
    pub fn owns(self, run: usize) -> bool {
        run % self.count == self.index - 1
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Shard, String> {
        let parsed = text
            .split_once('/')
            .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
        match parsed {
            Some((index, count)) if count >= 1 && (1..=count).contains(&index) => Ok(Shard { index, count }),
            _ => Err(format!("`{text}` is not K/N with 1 <= K <= N (e.g. 3/8)")),
        }
    }
}

/// Holds the sweep folder `out` for this process: an exclusive lock on `out/.lock` (with the
/// holder's process id in it), released when the returned file is dropped. A second sweep into
/// the same folder is refused, naming the holder.
pub fn lock_folder(out: &Path) -> Result<std::fs::File> {
    use std::io::{Seek, Write};
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let path = out.join(".lock");
    if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(Error::file(
            &path,
            "is not a regular file (a planted symlink?); remove it",
        ));
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => {
            let pid = format!("{}\n", std::process::id());
            file.set_len(0)
                .and_then(|_| file.rewind())
                .and_then(|_| file.write_all(pid.as_bytes()))
                .map_err(|e| Error::io(&path, e))?;
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path).unwrap_or_default();
            Err(Error::file(
                out,
                format!(
                    "another fairglb sweep (process {}) is running into this folder; wait for it to finish or choose another --out",
                    holder.trim()
                ),
            ))
        }
        // A file system without locks (some cluster mounts): go on unlocked, as before locks.
        Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => Ok(file),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// The journal file of run `run`: its finished `sweep.csv` rows, then a checksum line.
fn journal_file(out: &Path, run: usize) -> PathBuf {
    out.join(format!(".journal/run-{run:06}.csv"))
}

/// The checksum line that ends a journal entry.
fn journal_trailer(rows: &[u8]) -> String {
    format!("# sha256 {}\n", sha256_hex(rows))
}

/// Records run `run`'s finished `rows` in the journal of `out`.
pub fn journal_write(out: &Path, run: usize, rows: &[u8]) -> Result<()> {
    let mut bytes = rows.to_vec();
    bytes.extend_from_slice(journal_trailer(rows).as_bytes());
    write_atomic(&journal_file(out, run), &bytes)
}

/// Run `run`'s rows from the journal of `out`, if it finished: an entry that is missing, or
/// damaged (its checksum does not match, as after a crash or an edit), counts as not finished,
/// so the run is run again.
pub fn journal_read(out: &Path, run: usize) -> Option<Vec<u8>> {
    let bytes = std::fs::read(journal_file(out, run)).ok()?;
    let body_end = bytes[..bytes.len().checked_sub(1)?]
        .iter()
        .rposition(|&b| b == b'\n')?
        + 1;
    let (rows, trailer) = bytes.split_at(body_end);
    (trailer == journal_trailer(rows).as_bytes()).then(|| rows.to_vec())
}

/// Writes `sweep.json`, or checks that the folder already holds this same sweep.
pub fn claim_folder(out: &Path, info: &SweepInfo) -> Result<()> {
    let path = out.join("sweep.json");
    match std::fs::read(&path) {
        Ok(bytes) => {
            let existing: SweepInfo =
                serde_json::from_slice(&bytes).map_err(|e| Error::file(&path, format!("unreadable: {e}")))?;
            if existing.sweep_id != info.sweep_id {
                return Err(Error::file(
                    &path,
                    format!(
                        "this folder holds another sweep (id {}, this one is {}): choose another --out or remove it",
                        existing.sweep_id, info.sweep_id
                    ),
                ));
            }
            Ok(())
        }
        Err(_) => write_info(&path, info),
    }
}

fn write_info(path: &Path, info: &SweepInfo) -> Result<()> {
    write_atomic(path, &info_json(info)?)
}

fn info_json(info: &SweepInfo) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(info).map_err(|e| Error::Render {
        what: "sweep.json".into(),
        msg: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `sweep.csv`: the header, then the finished runs' rows in run order.
pub fn write_sweep_csv(out: &Path, header: &[String], runs: &BTreeMap<usize, Vec<u8>>) -> Result<()> {
    let mut bytes = records_csv("sweep.csv", std::iter::once(header.to_vec()))?;
    for rows in runs.values() {
        bytes.extend_from_slice(rows);
    }
    write_atomic(&out.join("sweep.csv"), &bytes)
}

/// Joins shard folders of one sweep into `out`: the `sweep.csv` and `sweep.json` one machine
/// would have written. Fails if the shards come from different sweeps, overlap, or miss runs.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<usize> {
    files::refuse_other_kind(out, files::FolderKind::Sweep)?;
    let mut first: Option<(SweepInfo, csv::ByteRecord)> = None;
    let mut rows: BTreeMap<usize, (PathBuf, Vec<csv::ByteRecord>)> = BTreeMap::new();
    for dir in dirs {
        let shard = read_shard(dir)?;
        let csv_path = dir.join("sweep.csv");
        if let Some((info, header)) = &first {
            if info.sweep_id != shard.info.sweep_id {
                return Err(Error::file(
                    dir.join("sweep.json"),
                    format!(
                        "sweep id {} differs from {}'s {}",
                        shard.info.sweep_id,
                        dirs[0].display(),
                        info.sweep_id
                    ),
                ));
            }
            if *header != shard.header {
                return Err(Error::file(&csv_path, "header differs from the other shards'"));
            }
        }
        for (run, records) in shard.rows {
            if let Some((other, _)) = rows.get(&run) {
                return Err(Error::file(
                    &csv_path,
                    format!("run {run} is also in {}", other.display()),
                ));
            }
            rows.insert(run, (dir.clone(), records));
        }
        first.get_or_insert((shard.info, shard.header));
    }
    let Some((info, header)) = first else {
        return Err(Error::file(out, "no shard folders given"));
    };
    check_complete(&info, &rows, out)?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::Render {
        what: "sweep.csv".into(),
        msg: e.to_string(),
    };
    writer.write_byte_record(&header).map_err(csv_err)?;
    for record in rows.values().flat_map(|(_, records)| records) {
        writer.write_byte_record(record).map_err(csv_err)?;
    }
    let bytes = writer.into_inner().map_err(|e| csv_err(e.into_error().into()))?;
    let staging = Staging::new(out)?;
    staging.write("sweep.csv", &bytes)?;
    staging.write("sweep.json", &info_json(&info)?)?;
    staging.publish(|folder, name| {
        ["sweep.csv", "sweep.json", "report.html"].contains(&name)
            || (name == "figures" && is_owned_folder(&folder.join(name)))
    })?;
    Ok(info.runs)
}

/// One shard folder: what sweep it is, its `sweep.csv` header, and its rows by run.
struct ShardRows {
    info: SweepInfo,
    header: csv::ByteRecord,
    rows: BTreeMap<usize, Vec<csv::ByteRecord>>,
}

fn read_shard(dir: &Path) -> Result<ShardRows> {
    let json = dir.join("sweep.json");
    let bytes = std::fs::read(&json).map_err(|e| Error::io(&json, e))?;
    let info: SweepInfo =
        serde_json::from_slice(&bytes).map_err(|e| Error::file(&json, format!("unreadable: {e}")))?;
    let csv_path = dir.join("sweep.csv");
    let mut reader = csv::Reader::from_path(&csv_path).map_err(|e| Error::file(&csv_path, e.to_string()))?;
    let header = reader
        .byte_headers()
        .map_err(|e| Error::file(&csv_path, e.to_string()))?
        .clone();
    count_runs(&info.axes).map_err(|msg| Error::file(&json, msg))?;
    let expected = cartesian(&info.axes);
    if expected.len() != info.runs {
        return Err(Error::file(
            &json,
            format!("its axes make {} runs, but it says {}", expected.len(), info.runs),
        ));
    }
    let mut rows: BTreeMap<usize, Vec<csv::ByteRecord>> = BTreeMap::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| Error::file(&csv_path, e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let run = std::str::from_utf8(&record[0])
            .ok()
            .and_then(|r| r.parse().ok())
            .filter(|&r: &usize| r < info.runs)
            .ok_or_else(|| Error::Row {
                path: csv_path.clone(),
                line,
                msg: format!("first column `run` is not a run number below {}", info.runs),
            })?;
        check_row(&info, &expected[run], &record).map_err(|msg| Error::Row {
            path: csv_path.clone(),
            line,
            msg,
        })?;
        rows.entry(run).or_default().push(record);
    }
    Ok(ShardRows { info, header, rows })
}

/// A shard row agrees with its `sweep.json`: the axis values of its run, a policy of the sweep.
fn check_row(
    info: &SweepInfo,
    values: &[toml::Value],
    record: &csv::ByteRecord,
) -> std::result::Result<(), String> {
    for (k, (axis, value)) in info.axes.iter().zip(values).enumerate() {
        let expected = cell_text(&axis.key, value);
        let found = String::from_utf8_lossy(record.get(1 + k).unwrap_or_default());
        if found != expected {
            return Err(format!(
                "column `{}` is `{found}`, but this run of the sweep has `{expected}` (sweep.json)",
                axis.key
            ));
        }
    }
    let policy = String::from_utf8_lossy(record.get(1 + info.axes.len()).unwrap_or_default());
    if !info.policies.iter().any(|p| *p == policy) {
        return Err(format!(
            "policy `{policy}` is not one of this sweep's (sweep.json)"
        ));
    }
    Ok(())
}

/// Every run of the sweep is there, with one row per policy.
fn check_complete(
    info: &SweepInfo,
    rows: &BTreeMap<usize, (PathBuf, Vec<csv::ByteRecord>)>,
    out: &Path,
) -> Result<()> {
    let policy_column = 1 + info.axes.len();
    let one_each = |records: &[csv::ByteRecord]| {
        let mut names: Vec<&[u8]> = records
            .iter()
            .map(|r| r.get(policy_column).unwrap_or_default())
            .collect();
        names.sort();
        let mut expected: Vec<&[u8]> = info.policies.iter().map(|p| p.as_bytes()).collect();
        expected.sort();
        names == expected
    };
    if let Some((run, (dir, records))) = rows.iter().find(|(_, (_, r))| !one_each(r)) {
        return Err(Error::file(
            dir.join("sweep.csv"),
            format!(
                "run {run} has {} rows, expected one per policy ({})",
                records.len(),
                listed(&info.policies, ", ")
            ),
        ));
    }
    let missing: Vec<usize> = (0..info.runs).filter(|r| !rows.contains_key(r)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::file(
        out,
        format!(
            "the shards hold {} of {} runs; missing runs {}",
            rows.len(),
            info.runs,
            listed(&missing, ", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_runs() {
        let shards: Vec<Shard> = (1..=3).map(|k| format!("{k}/3").parse().unwrap()).collect();
        for run in 0..20 {
            assert_eq!(shards.iter().filter(|s| s.owns(run)).count(), 1);
        }
        for bad in ["0/3", "4/3", "1/0", "x", "1/"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
