//! Parameter sweeps: axes -> an explicit, fully validated list of runs -> results in `sweep.csv`.
//!
//! Axes come from the scenario's `[sweep.axes]` table (a list of values, or `{ from, to, steps }`
//! with `log = true` for geometric spacing) and from `--axis KEY=V1,V2,...`. The run list is their
//! cartesian product (the last axis varies fastest; keys linked by `+` are one axis); every run's
//! scenario and problem are built and checked before any run starts. Runs go in parallel (rayon)
//! over shared, read-only traces, and share the rows of policies whose inputs they share (`rows`).
//!
//! Output folder: `sweep.json` (what the sweep is, with an id), `sweep.csv` (one row per run and
//! policy, in run order), `.journal/run-NNNNNN.csv` (each finished run's rows, written atomically),
//! `runs/run-NNNNNN/` with `--keep-runs`. The journal makes a sweep resumable: rerunning the same
//! command skips finished runs. `sweep.csv` is rebuilt from finished runs (atomically, at most once
//! a second, and at the end), so it never holds a partial row. `--shard K/N` runs runs `i` with
//! `i mod N = K - 1`; [`merge`] joins shard folders into the `sweep.csv` one machine would write.
//! The library draws no progress bar: [`run`] reports progress through a callback.

mod axes;
mod rows;
mod shards;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use axes::{Axis, MAX_AXIS_VALUES, MAX_SWEEP_RUNS};
pub use shards::{Shard, merge};

use crate::build::TraceCache;
use crate::error::{Error, Result};
use crate::files;
use crate::output::{self, RunResults, SUMMARY_COLUMNS};
use crate::policy;
use crate::scenario::{Scenario, ScenarioFile};
use crate::sim;
use axes::{cartesian, cell_text};
use rows::{RowMemo, RunRows};
use shards::{claim_folder, journal_read, journal_write, lock_folder, write_sweep_csv};

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
    /// Rows runs can share (see `rows`).
    memo: RowMemo,
}

impl SweepPlan {
    /// Expands the axes of `path`'s `[sweep]` table plus `cli_axes` (which replace file axes of the
    /// same key) and checks every run's scenario and problem, and the policies' pre-run checks,
    /// before anything runs.
    pub fn new(
        path: &Path,
        overrides: &[String],
        cli_axes: &[Axis],
        cli_policies: &[String],
    ) -> Result<SweepPlan> {
        let file = ScenarioFile::read(path)?;
        let base = file.with_overrides(overrides)?;
        let axes = sweep_axes(&base, cli_axes)?;
        let requested = if cli_policies.is_empty() {
            &base.sweep.policies
        } else {
            cli_policies
        };
        let policies = policy::select(requested)?;
        axes::count_runs(&axes).map_err(|msg| Error::file(path, msg))?;
        let runs: Vec<RunSpec> = cartesian(&axes)
            .into_iter()
            .map(|values| {
                let assigned = axes.iter().zip(&values).flat_map(|(a, v)| a.overrides(v));
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
            policy::precheck(&policies, &problem).map_err(in_run)?;
        }
        let mut info = SweepInfo {
            sweep_id: String::new(),
            scenario: base.name.clone(),
            scenario_file: path.display().to_string(),
            scenario_sha256: file.sha256.clone(),
            overrides: overrides.to_vec(),
            axes,
            policies: policies.into_iter().map(String::from).collect(),
            runs: runs.len(),
            trace_sha256: cache.content_sha256(),
            fairglb_version: env!("CARGO_PKG_VERSION").to_string(),
        };
        info.sweep_id = sweep_id(&info)?;
        Ok(SweepPlan {
            file,
            info,
            runs,
            cache,
            memo: RowMemo::default(),
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
        let values: Vec<(String, Vec<String>)> = match keep {
            Some(dir) => {
                let runs = (self.info.policies.iter())
                    .map(|name| sim::run_named(name, &problem, scenario.params(name), &mut || {}))
                    .collect::<Result<Vec<_>>>()?;
                let results = RunResults::new(&scenario, &problem, &runs);
                results.write(&dir.join(format!("runs/run-{i:06}")))?;
                (runs.iter().zip(results.summaries()))
                    .map(|(run, (summary, gap))| (run.policy.clone(), output::summary_values(summary, *gap)))
                    .collect()
            }
            None => {
                let with_offline = self.info.policies.iter().any(|p| p == "eglb-offline");
                let rows = output::PolicyRows::new(&scenario, &problem, with_offline);
                let mut rows = RunRows::new(rows, &self.runs[i].overrides);
                (self.info.policies.iter())
                    .map(|name| Ok((name.clone(), rows.values(name, &self.memo)?)))
                    .collect::<Result<_>>()?
            }
        };
        let axis_values: Vec<String> = (self.info.axes.iter().zip(&self.runs[i].values))
            .map(|(axis, value)| cell_text(&axis.key, value))
            .collect();
        let records = values.into_iter().map(|(policy, values)| {
            std::iter::once(i.to_string())
                .chain(axis_values.iter().cloned())
                .chain(std::iter::once(policy))
                .chain(values)
                .collect()
        });
        output::records_csv("sweep.csv", records)
    }
}

/// The axes of the scenario's `[sweep.axes]` table, with `cli_axes` replacing those of the same
/// key and adding the others.
fn sweep_axes(base: &Scenario, cli_axes: &[Axis]) -> Result<Vec<Axis>> {
    let path = &base.source.path;
    let mut axes = Vec::new();
    for (key, spec) in &base.sweep.axes {
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
    let keys: Vec<&str> = axes.iter().flat_map(Axis::keys).collect();
    if let Some(twice) = keys.iter().enumerate().find(|(i, k)| keys[..*i].contains(k)) {
        let msg = format!(
            "sweep axes: `{}` is on two axes; link keys with `+` instead",
            twice.1
        );
        return Err(Error::file(path, msg));
    }
    Ok(axes)
}

/// The id names the sweep by content: not by the path the scenario was given as.
fn sweep_id(info: &SweepInfo) -> Result<String> {
    let hashed = serde_json::to_vec(&SweepInfo {
        scenario_file: String::new(),
        ..info.clone()
    })
    .map_err(|e| Error::Render {
        what: "sweep id".into(),
        msg: e.to_string(),
    })?;
    Ok(files::sha256_hex(&hashed)[..16].to_string())
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

/// What a running sweep reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// This many runs are about to run (those of the shard not finished before).
    Start {
        /// Runs to run.
        runs: usize,
    },
    /// One more run finished.
    Finished,
}

/// A pool of `threads` worker threads (0 = one per core); an error names `--threads`.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::BadOption {
            name: "--threads".into(),
            msg: format!("cannot start {threads} worker threads: {e}"),
        })
}

/// Runs the plan's runs of `options.shard` that are not finished yet in `options.out`, calling
/// `on_progress` as they go (from any worker thread).
pub fn run(
    plan: &SweepPlan,
    options: &SweepOptions,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<SweepOutcome> {
    let out = &options.out;
    // Threads first: an option that fails writes nothing.
    let pool = thread_pool(options.threads)?;
    files::refuse_other_kind(out, files::FolderKind::Sweep)?;
    let _lock = lock_folder(out)?;
    let journal = out.join(".journal");
    std::fs::create_dir_all(&journal).map_err(|e| Error::io(&journal, e))?;
    // What an earlier sweep killed here left half-written (this one holds the folder now).
    files::remove_leftovers_in(out);
    files::remove_leftovers_in(&journal);
    claim_folder(out, plan.info())?;
    let mine: Vec<usize> = (0..plan.runs.len()).filter(|&i| options.shard.owns(i)).collect();
    let mut finished = BTreeMap::new();
    for &i in &mine {
        if let Some(rows) = journal_read(out, i) {
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
    on_progress(Progress::Start { runs: todo.len() });
    // (finished runs' rows, when sweep.csv was last rebuilt: never yet).
    let state = Mutex::new((finished, None::<Instant>));
    let keep = options.keep_runs.then_some(out.as_path());
    let result = pool.install(|| {
        todo.par_iter().try_for_each(|&i| {
            let rows = plan
                .run_one(i, keep)
                .map_err(|e| Error::file(out, format!("sweep run {i}: {e}")))?;
            journal_write(out, i, &rows)?;
            let mut state = state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            state.0.insert(i, rows);
            if state
                .1
                .is_none_or(|last| last.elapsed() >= Duration::from_secs(1))
            {
                write_sweep_csv(out, &plan.header(), &state.0)?;
                state.1 = Some(Instant::now());
            }
            on_progress(Progress::Finished);
            Ok(())
        })
    });
    let state = state
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    write_sweep_csv(out, &plan.header(), &state.0)?;
    result.map(|()| outcome)
}
