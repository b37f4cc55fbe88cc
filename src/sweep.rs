//! Parameter sweeps: axes -> an explicit, fully validated list of runs -> results in `sweep.csv`.
//!
//! Axes come from the scenario's `[sweep.axes]` table (a list of values, or `{ from, to, steps }`
//! with `log = true` for geometric spacing) and from `--axis KEY=V1,V2,...`. The run list is their
//! cartesian product (the last axis varies fastest); every run's scenario and problem are built
//! and checked before any run starts. Runs go in parallel (rayon) over shared, read-only traces.
//!
//! Output folder: `sweep.json` (what the sweep is, with an id), `sweep.csv` (one row per run and
//! policy, in run order), `.journal/run-NNNNNN.csv` (each finished run's rows, written atomically),
//! `runs/run-NNNNNN/` with `--keep-runs`. The journal makes a sweep resumable: rerunning the same
//! command skips finished runs. `sweep.csv` is rebuilt from finished runs (atomically, at most once
//! a second, and at the end), so it never holds a partial row. `--shard K/N` runs runs `i` with
//! `i mod N = K - 1`; [`merge`] joins shard folders into the `sweep.csv` one machine would write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::output::{self, Report, SUMMARY_COLUMNS};
use crate::policy;
use crate::scenario::{ScenarioFile, parse_value};
use crate::sim;
use crate::traces::TraceCache;

/// One swept scenario key and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// Dotted scenario key, as for `--set`.
    pub key: String,
    /// The values, in order.
    pub values: Vec<toml::Value>,
}

impl Axis {
    /// An axis from a `[sweep.axes]` entry: a list, or `{ from, to, steps, log = false }`.
    pub fn from_spec(key: &str, spec: &toml::Value) -> std::result::Result<Axis, String> {
        let values = match spec {
            toml::Value::Array(values) if !values.is_empty() => values.clone(),
            toml::Value::Table(range) => {
                // A linear range between integers with a whole step stays integer (for keys
                // such as `horizon.hours`); anything else is a float.
                let log = matches!(range.get("log"), Some(toml::Value::Boolean(true)));
                let integers = !log
                    && ["from", "to"]
                        .iter()
                        .all(|k| matches!(range.get(*k), Some(toml::Value::Integer(_))));
                let values = range_values(range)?;
                if integers && values.iter().all(|v| v.fract() == 0.0) {
                    values
                        .into_iter()
                        .map(|v| toml::Value::Integer(v as i64))
                        .collect()
                } else {
                    values.into_iter().map(toml::Value::Float).collect()
                }
            }
            _ => return Err("expected a non-empty list of values or { from, to, steps, log }".into()),
        };
        Ok(Axis {
            key: key.to_string(),
            values,
        })
    }

    /// An axis from `--axis KEY=V1,V2,...`; each value is read as for `--set`.
    pub fn parse_cli(text: &str) -> Result<Axis> {
        let err = |msg: &str| Error::Override {
            key: text.to_string(),
            msg: format!("--axis: {msg}"),
        };
        let (key, values) = text
            .split_once('=')
            .ok_or_else(|| err("expected KEY=V1,V2,..."))?;
        let values: Vec<toml::Value> = values.split(',').map(|v| parse_value(v.trim())).collect();
        if key.trim().is_empty() || values.iter().any(|v| v.as_str() == Some("")) {
            return Err(err("empty key or value"));
        }
        Ok(Axis {
            key: key.trim().to_string(),
            values,
        })
    }
}

/// `from + i x step` for `i` in `0..steps` (or geometric with `log = true`), endpoints exact.
fn range_values(range: &toml::Table) -> std::result::Result<Vec<f64>, String> {
    if let Some(extra) = range
        .keys()
        .find(|k| !["from", "to", "steps", "log"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown range key `{extra}`; expected from, to, steps, log"
        ));
    }
    let number = |name: &str| match range.get(name) {
        Some(toml::Value::Float(v)) => Ok(*v),
        Some(toml::Value::Integer(v)) => Ok(*v as f64),
        _ => Err(format!("range needs a number `{name}`")),
    };
    let (from, to) = (number("from")?, number("to")?);
    let steps = match range.get("steps") {
        Some(toml::Value::Integer(n)) if *n >= 1 => *n as usize,
        _ => return Err("range needs an integer `steps` >= 1 (the number of values)".into()),
    };
    let log = match range.get("log") {
        None => false,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => return Err("`log` must be true or false".into()),
    };
    if log && (from <= 0.0 || to <= 0.0) {
        return Err("a log range needs from > 0 and to > 0".into());
    }
    let at = |i: usize| {
        if steps == 1 {
            return from;
        }
        if i == steps - 1 {
            return to;
        }
        let f = i as f64 / (steps - 1) as f64;
        if log {
            from * (to / from).powf(f)
        } else {
            from + i as f64 * (to - from) / (steps - 1) as f64
        }
    };
    Ok((0..steps).map(at).collect())
}

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

/// What a sweep is: recorded in `sweep.json`, identical for every shard of one sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepInfo {
    /// Hash of everything below but `scenario_file`: shards of one sweep share it.
    pub sweep_id: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file as given.
    pub scenario_file: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// `--set` overrides applied to every run.
    pub overrides: Vec<String>,
    /// The axes, in order (the last varies fastest).
    pub axes: Vec<Axis>,
    /// The policies run in every run.
    pub policies: Vec<String>,
    /// Number of runs in the whole sweep.
    pub runs: usize,
    /// SHA-256 of the trace files the runs read, sorted: a resumed or sharded sweep must read
    /// the same data.
    pub trace_sha256: Vec<String>,
    /// fairglb version.
    pub fairglb_version: String,
}

/// One run: its axis values and the overrides that set them (after the base `--set`s).
struct RunSpec {
    values: Vec<toml::Value>,
    overrides: Vec<String>,
}

/// A validated sweep: the scenario file, every run's overrides, the traces they need.
pub struct SweepPlan {
    file: ScenarioFile,
    info: SweepInfo,
    runs: Vec<RunSpec>,
    cache: TraceCache,
}

impl SweepPlan {
    /// Expands the axes of `path`'s `[sweep]` table plus `cli_axes` (which replace file axes of the
    /// same key) and checks every run's scenario and problem before anything runs.
    pub fn new(
        path: &Path,
        overrides: &[String],
        cli_axes: &[Axis],
        cli_policies: &[String],
    ) -> Result<SweepPlan> {
        let file = ScenarioFile::read(path)?;
        let base = file.with_overrides(overrides)?;
        let mut axes = Vec::new();
        for (key, spec) in &base.raw.sweep.axes {
            axes.push(
                Axis::from_spec(key, spec)
                    .map_err(|msg| Error::file(path, format!("sweep.axes.\"{key}\": {msg}")))?,
            );
        }
        for (i, axis) in cli_axes.iter().enumerate() {
            if cli_axes[..i].iter().any(|a| a.key == axis.key) {
                return Err(Error::Override {
                    key: axis.key.clone(),
                    msg: "--axis: the same key twice; give all its values in one --axis".into(),
                });
            }
            match axes.iter_mut().find(|a| a.key == axis.key) {
                Some(existing) => *existing = axis.clone(),
                None => axes.push(axis.clone()),
            }
        }
        if axes.is_empty() {
            return Err(Error::file(
                path,
                "no sweep axes: add a [sweep.axes] table or --axis KEY=V1,V2,...",
            ));
        }
        let requested = if cli_policies.is_empty() {
            &base.raw.sweep.policies
        } else {
            cli_policies
        };
        for name in requested {
            policy::check_name(name)?;
        }
        let policies: Vec<String> = policy::NAMES
            .into_iter()
            .filter(|n| requested.is_empty() || requested.iter().any(|r| r == n))
            .map(String::from)
            .collect();
        let runs: Vec<RunSpec> = cartesian(&axes)
            .into_iter()
            .map(|values| {
                let assigned = axes.iter().zip(&values).map(|(a, v)| format!("{}={v}", a.key));
                RunSpec {
                    overrides: overrides.iter().cloned().chain(assigned).collect(),
                    values,
                }
            })
            .collect();
        let mut cache = TraceCache::default();
        for (i, run) in runs.iter().enumerate() {
            let in_run =
                |e: Error| Error::file(path, format!("sweep run {i} ({}): {e}", run.overrides.join(" ")));
            let scenario = file.with_overrides(&run.overrides).map_err(in_run)?;
            cache.preload(&scenario).map_err(in_run)?;
            let problem = cache.problem(&scenario).map_err(in_run)?;
            if policies.iter().any(|p| p == "nearest") {
                problem.check_nearest_feasible().map_err(in_run)?;
            }
        }
        let mut info = SweepInfo {
            sweep_id: String::new(),
            scenario: base.raw.name.clone(),
            scenario_file: path.display().to_string(),
            scenario_sha256: file.sha256.clone(),
            overrides: overrides.to_vec(),
            axes,
            policies,
            runs: runs.len(),
            trace_sha256: cache.content_sha256(),
            fairglb_version: env!("CARGO_PKG_VERSION").to_string(),
        };
        // The id names the sweep by content: not by the path the scenario was given as.
        let hashed = serde_json::to_vec(&SweepInfo {
            scenario_file: String::new(),
            ..info.clone()
        })
        .expect("plain data");
        info.sweep_id = Sha256::digest(&hashed)
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(SweepPlan {
            file,
            info,
            runs,
            cache,
        })
    }

    /// What the sweep is.
    pub fn info(&self) -> &SweepInfo {
        &self.info
    }

    /// The header of `sweep.csv`.
    fn header(&self) -> Vec<String> {
        let axes = self.info.axes.iter().map(|a| a.key.clone());
        std::iter::once("run".to_string())
            .chain(axes)
            .chain(std::iter::once("policy".to_string()))
            .chain(SUMMARY_COLUMNS.iter().map(|c| c.to_string()))
            .collect()
    }

    /// Runs run `i` and returns its `sweep.csv` rows (no header); writes its detail files into
    /// `keep` if given.
    fn run_one(&self, i: usize, keep: Option<&Path>) -> Result<Vec<u8>> {
        let scenario = self.file.with_overrides(&self.runs[i].overrides)?;
        let problem = self.cache.problem(&scenario)?;
        let runs = self
            .info
            .policies
            .iter()
            .map(|name| sim::run_policy(name, &problem, &scenario.raw.online, || {}))
            .collect::<Result<Vec<_>>>()?;
        let report = Report::new(&scenario, &problem, &runs);
        if let Some(dir) = keep {
            report.write(&dir.join(format!("runs/run-{i:06}")))?;
        }
        let axis_values: Vec<String> = self.runs[i].values.iter().map(cell_text).collect();
        let mut writer = csv::Writer::from_writer(Vec::new());
        for (run, (summary, gap)) in runs.iter().zip(report.summaries().iter().copied()) {
            let record = std::iter::once(i.to_string())
                .chain(axis_values.iter().cloned())
                .chain(std::iter::once(run.policy.clone()))
                .chain(output::summary_values(&summary, gap));
            writer
                .write_record(record)
                .map_err(|e| Error::file("sweep.csv", e.to_string()))?;
        }
        writer
            .into_inner()
            .map_err(|e| Error::file("sweep.csv", e.to_string()))
    }
}

/// Every combination of axis values, the last axis varying fastest.
fn cartesian(axes: &[Axis]) -> Vec<Vec<toml::Value>> {
    axes.iter().fold(vec![Vec::new()], |combos, axis| {
        combos
            .into_iter()
            .flat_map(|prefix| {
                axis.values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect()
    })
}

/// A value as a CSV cell: strings bare, everything else as TOML writes it.
fn cell_text(value: &toml::Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), String::from)
}

/// How to run a sweep.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// Output folder.
    pub out: PathBuf,
    /// Worker threads; 0 = all cores.
    pub threads: usize,
    /// Which part of the run list this process runs.
    pub shard: Shard,
    /// Also write each run's regions/hourly/summary files under `runs/`.
    pub keep_runs: bool,
}

/// What a sweep did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepOutcome {
    /// Runs in this shard.
    pub in_shard: usize,
    /// Runs found finished and skipped.
    pub skipped: usize,
    /// Runs run now.
    pub ran: usize,
}

/// Runs the plan's runs of `options.shard` that are not finished yet in `options.out`.
pub fn run(plan: &SweepPlan, options: &SweepOptions) -> Result<SweepOutcome> {
    let out = &options.out;
    let journal = out.join(".journal");
    std::fs::create_dir_all(&journal).map_err(|e| Error::io(&journal, e))?;
    claim_folder(out, plan.info())?;
    let mine: Vec<usize> = (0..plan.runs.len()).filter(|&i| options.shard.owns(i)).collect();
    let mut finished = BTreeMap::new();
    for &i in &mine {
        if let Ok(rows) = std::fs::read(journal_file(out, i)) {
            finished.insert(i, rows);
        }
    }
    let todo: Vec<usize> = mine
        .iter()
        .copied()
        .filter(|i| !finished.contains_key(i))
        .collect();
    let outcome = SweepOutcome {
        in_shard: mine.len(),
        skipped: finished.len(),
        ran: todo.len(),
    };
    // (finished runs' rows, when sweep.csv was last rebuilt: never yet).
    let state = Mutex::new((finished, None::<Instant>));
    let bar = progress_bar(todo.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(|e| Error::file(out, format!("cannot start {} threads: {e}", options.threads)))?;
    let keep = options.keep_runs.then_some(out.as_path());
    let result = pool.install(|| {
        todo.par_iter().try_for_each(|&i| {
            let rows = plan
                .run_one(i, keep)
                .map_err(|e| Error::file(out, format!("sweep run {i}: {e}")))?;
            output::write_atomic(&journal_file(out, i), &rows)?;
            let mut state = state.lock().expect("no panics while holding the lock");
            state.0.insert(i, rows);
            if state
                .1
                .is_none_or(|last| last.elapsed() >= Duration::from_secs(1))
            {
                write_sweep_csv(out, &plan.header(), &state.0)?;
                state.1 = Some(Instant::now());
            }
            bar.inc(1);
            Ok(())
        })
    });
    bar.finish_and_clear();
    let state = state.into_inner().expect("no panics while holding the lock");
    write_sweep_csv(out, &plan.header(), &state.0)?;
    result.map(|()| outcome)
}

fn journal_file(out: &Path, run: usize) -> PathBuf {
    out.join(format!(".journal/run-{run:06}.csv"))
}

/// Writes `sweep.json`, or checks that the folder already holds this same sweep.
fn claim_folder(out: &Path, info: &SweepInfo) -> Result<()> {
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
    let mut bytes = serde_json::to_vec_pretty(info).expect("plain data");
    bytes.push(b'\n');
    output::write_atomic(path, &bytes)
}

/// `sweep.csv`: the header, then the finished runs' rows in run order.
fn write_sweep_csv(out: &Path, header: &[String], runs: &BTreeMap<usize, Vec<u8>>) -> Result<()> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(header)
        .map_err(|e| Error::file("sweep.csv", e.to_string()))?;
    let mut bytes = writer
        .into_inner()
        .map_err(|e| Error::file("sweep.csv", e.to_string()))?;
    for rows in runs.values() {
        bytes.extend_from_slice(rows);
    }
    output::write_atomic(&out.join("sweep.csv"), &bytes)
}

fn progress_bar(len: usize) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("sweep [{bar:30}] {pos}/{len} runs, {per_sec}, ETA {eta}")
            .expect("the template is valid")
            .progress_chars("=> "),
    );
    bar
}

/// Joins shard folders of one sweep into `out`: the `sweep.csv` and `sweep.json` one machine
/// would have written. Fails if the shards come from different sweeps, overlap, or miss runs.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<usize> {
    let mut info: Option<SweepInfo> = None;
    let mut header: Option<csv::ByteRecord> = None;
    let mut rows: BTreeMap<usize, (PathBuf, Vec<csv::ByteRecord>)> = BTreeMap::new();
    for dir in dirs {
        let json = dir.join("sweep.json");
        let bytes = std::fs::read(&json).map_err(|e| Error::io(&json, e))?;
        let this: SweepInfo =
            serde_json::from_slice(&bytes).map_err(|e| Error::file(&json, format!("unreadable: {e}")))?;
        if let Some(first) = &info
            && first.sweep_id != this.sweep_id
        {
            return Err(Error::file(
                &json,
                format!(
                    "sweep id {} differs from {}'s {}",
                    this.sweep_id,
                    dirs[0].display(),
                    first.sweep_id
                ),
            ));
        }
        let total_runs = this.runs;
        info = Some(this);
        let csv_path = dir.join("sweep.csv");
        let mut reader =
            csv::Reader::from_path(&csv_path).map_err(|e| Error::file(&csv_path, e.to_string()))?;
        let this_header = reader
            .byte_headers()
            .map_err(|e| Error::file(&csv_path, e.to_string()))?
            .clone();
        if header.as_ref().is_some_and(|h| *h != this_header) {
            return Err(Error::file(&csv_path, "header differs from the other shards'"));
        }
        header = Some(this_header);
        let mut here: BTreeMap<usize, Vec<csv::ByteRecord>> = BTreeMap::new();
        for record in reader.byte_records() {
            let record = record.map_err(|e| Error::file(&csv_path, e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let run = std::str::from_utf8(&record[0])
                .ok()
                .and_then(|r| r.parse().ok())
                .filter(|&r: &usize| r < total_runs)
                .ok_or_else(|| Error::Row {
                    path: csv_path.clone(),
                    line,
                    msg: format!("first column `run` is not a run number below {total_runs}"),
                })?;
            here.entry(run).or_default().push(record);
        }
        for (run, records) in here {
            if let Some((other, _)) = rows.get(&run) {
                return Err(Error::file(
                    &csv_path,
                    format!("run {run} is also in {}", other.display()),
                ));
            }
            rows.insert(run, (dir.clone(), records));
        }
    }
    let (Some(info), Some(header)) = (info, header) else {
        return Err(Error::file(out, "no shard folders given"));
    };
    if let Some((run, (dir, records))) = rows.iter().find(|(_, (_, r))| r.len() != info.policies.len()) {
        return Err(Error::file(
            dir.join("sweep.csv"),
            format!(
                "run {run} has {} rows, expected one per policy ({})",
                records.len(),
                info.policies.len()
            ),
        ));
    }
    let missing: Vec<usize> = (0..info.runs).filter(|r| !rows.contains_key(r)).collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(10).map(usize::to_string).collect();
        return Err(Error::file(
            out,
            format!(
                "the shards hold {} of {} runs; missing runs {}{}",
                rows.len(),
                info.runs,
                shown.join(", "),
                if missing.len() > 10 { ", ..." } else { "" }
            ),
        ));
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::file("sweep.csv", e.to_string());
    writer.write_byte_record(&header).map_err(csv_err)?;
    for (_, records) in rows.values() {
        for record in records {
            writer.write_byte_record(record).map_err(csv_err)?;
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::file("sweep.csv", e.to_string()))?;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    output::write_atomic(&out.join("sweep.csv"), &bytes)?;
    write_info(&out.join("sweep.json"), &info)?;
    Ok(info.runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_and_log_ranges_hit_their_endpoints() {
        let table = |text: &str| toml::from_str::<toml::Table>(text).unwrap();
        assert_eq!(
            range_values(&table("from = 0\nto = 1\nsteps = 5")).unwrap(),
            [0.0, 0.25, 0.5, 0.75, 1.0]
        );
        let log = range_values(&table("from = 6\nto = 600\nsteps = 3\nlog = true")).unwrap();
        assert_eq!(log[0], 6.0);
        assert!((log[1] - 60.0).abs() < 1e-12);
        assert_eq!(log[2], 600.0);
        assert_eq!(
            range_values(&table("from = 3\nto = 9\nsteps = 1")).unwrap(),
            [3.0]
        );
        assert!(range_values(&table("from = 0\nto = 1\nsteps = 0")).is_err());
        assert!(range_values(&table("from = 0\nto = 1\nsteps = 2\nlog = true")).is_err());
        assert!(range_values(&table("from = 0\nto = 1\nstep = 2")).is_err());
    }

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

    #[test]
    fn cartesian_product_varies_the_last_axis_fastest() {
        let axis = |key: &str, values: &[i64]| Axis {
            key: key.into(),
            values: values.iter().map(|&v| toml::Value::Integer(v)).collect(),
        };
        let combos = cartesian(&[axis("a", &[1, 2]), axis("b", &[10, 20, 30])]);
        let flat: Vec<(i64, i64)> = combos
            .iter()
            .map(|c| (c[0].as_integer().unwrap(), c[1].as_integer().unwrap()))
            .collect();
        assert_eq!(flat, [(1, 10), (1, 20), (1, 30), (2, 10), (2, 20), (2, 30)]);
    }
}
