//! The results folder of a run: tidy CSVs with units in column names ([`tables`]) and a JSON
//! manifest, published whole ([`crate::files::Staging`]).
//!
//! Every file is rendered in memory before the first one is written, so an error leaves nothing
//! behind. Wall-clock times go to `timings.csv` only, so the other files are byte-identical
//! between runs of the same scenario.

use std::path::Path;

use crate::error::{Error, Result};
use crate::files::{MANIFEST, Staging, is_owned_folder};
use crate::footprint::Footprint;
use crate::metrics::{self, Latency, Summary};
use crate::model::Problem;
use crate::scenario::Scenario;
use crate::sim::PolicyRun;

mod manifest;
mod policy_rows;
mod tables;

pub use manifest::{Recorded, git_commit};
pub use policy_rows::PolicyRows;

use tables::render_error;
pub use tables::{Column, Table, paper_name};

/// One scenario's results, ready to write: the runs, and their totals and summaries, computed once.
pub struct RunResults<'a> {
    scenario: &'a Scenario,
    problem: &'a Problem,
    runs: &'a [PolicyRun],
    totals: Vec<Vec<Footprint>>,
    summaries: Vec<(Summary, Option<f64>)>,
    /// Each (data center, gateway) pair's great-circle distance, km, data-center major, when
    /// every site has coordinates.
    pair_km: Option<Vec<f64>>,
    outputs: Outputs,
    command_line: Vec<String>,
}

/// Which per-hour files a run writes; `regions.csv`, `summary.csv`, `demand.csv`,
/// `intensity.csv`, `routes.csv`, `timings.csv` and the manifest are always written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outputs {
    /// `hourly.csv`: each data center's load and footprint in each hour, per policy.
    pub hourly: bool,
    /// `flows.csv`: each gateway's load at each data center in each hour, per policy.
    pub flows: bool,
}

impl Outputs {
    /// Horizons up to this many hours (a month) write both per-hour files by default.
    pub const BOTH_UP_TO_HOURS: usize = 744;

    /// The default for a horizon of `hours`: both files up to a month, `hourly.csv` only beyond
    /// (flows grow with gateways x data centers).
    pub fn default_for(hours: usize) -> Outputs {
        Outputs {
            hourly: true,
            flows: hours <= Self::BOTH_UP_TO_HOURS,
        }
    }

    /// The files chosen, as `parse` reads them (`none` if neither).
    pub fn names(self) -> Vec<&'static str> {
        let names: Vec<&str> = [(self.hourly, "hourly"), (self.flows, "flows")]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
        if names.is_empty() { vec!["none"] } else { names }
    }

    /// From a comma-separated list of `hourly`, `flows`, or `none`.
    pub fn parse(list: &str) -> std::result::Result<Outputs, String> {
        let mut outputs = Outputs {
            hourly: false,
            flows: false,
        };
        for item in list.split(',').map(str::trim) {
            match item {
                "hourly" => outputs.hourly = true,
                "flows" => outputs.flows = true,
                "none" => {}
                _ => return Err(format!("`{item}` is not one of hourly, flows, none")),
            }
        }
        Ok(outputs)
    }
}

/// A run's summary, from its per-data-center totals.
pub fn summary_of(scenario: &Scenario, problem: &Problem, totals: &[Footprint], run: &PolicyRun) -> Summary {
    let latency = Latency::of(&problem.fleet, &run.flows, scenario.pair_rtt_ms.as_deref());
    Summary::of(problem, totals, latency)
}

/// An objective's gap to the offline optimum's, relative to the optimum.
pub fn gap_to_offline(objective_usd: f64, offline_usd: f64) -> f64 {
    (objective_usd - offline_usd) / offline_usd.abs().max(f64::MIN_POSITIVE)
}

impl<'a> RunResults<'a> {
    /// The results of `runs` (one per policy, in output order) of `scenario`'s `problem`.
    pub fn new(scenario: &'a Scenario, problem: &'a Problem, runs: &'a [PolicyRun]) -> RunResults<'a> {
        let totals: Vec<Vec<Footprint>> = runs
            .iter()
            .map(|r| metrics::dc_totals(problem, &r.loads_mw))
            .collect();
        let pair_km = scenario.pair_distances_km();
        let summaries: Vec<Summary> = totals
            .iter()
            .zip(runs)
            .map(|(t, run)| summary_of(scenario, problem, t, run))
            .collect();
        let offline = runs
            .iter()
            .position(|r| r.policy == "eglb-offline")
            .map(|i| summaries[i].objective_usd);
        let summaries = summaries
            .into_iter()
            .map(|s| (s, offline.map(|o| gap_to_offline(s.objective_usd, o))))
            .collect();
        RunResults {
            scenario,
            problem,
            runs,
            totals,
            summaries,
            pair_km,
            outputs: Outputs::default_for(problem.n_hours()),
            command_line: Vec::new(),
        }
    }

    /// The same results, recording `args` (the program's arguments) as their command line.
    pub fn with_command_line(mut self, args: Vec<String>) -> Self {
        self.command_line = args;
        self
    }

    /// The same results, writing the per-hour files `outputs` chooses.
    pub fn with_outputs(mut self, outputs: Outputs) -> Self {
        self.outputs = outputs;
        self
    }

    /// The per-hour files that will be written.
    pub fn outputs(&self) -> Outputs {
        self.outputs
    }

    /// Every run's summary, and its relative objective gap to `eglb-offline` if that ran.
    pub fn summaries(&self) -> &[(Summary, Option<f64>)] {
        &self.summaries
    }

    /// The objective's weights.
    pub fn weights(&self) -> crate::model::EquityWeights {
        self.problem.fleet.equity
    }

    /// The policies' names, in run order.
    pub fn policies(&self) -> impl Iterator<Item = &str> {
        self.runs.iter().map(|r| r.policy.as_str())
    }

    /// Writes the results files (see [`Outputs`]) and `manifest.json` as the folder `dir`, whole
    /// or not at all; an older results folder there is replaced (with the figures and report
    /// drawn from it), a folder holding anything else refused.
    pub fn write(&self, dir: &Path) -> Result<()> {
        self.check_finite()?;
        crate::files::refuse_other_kind(dir, crate::files::FolderKind::Run)?;
        let files = self.files()?;
        let manifest = manifest::json(self, &files)?;
        let staging = Staging::new(dir)?;
        for (name, bytes) in files.iter().chain([&(MANIFEST, manifest)]) {
            staging.write(name, bytes)?;
        }
        // What versions that kept no list of their files wrote here.
        let legacy = |folder: &Path, name: &str| {
            name == MANIFEST
                || name == "report.html"
                || files.iter().any(|(f, _)| *f == name)
                || (name == "figures" && is_owned_folder(&folder.join(name)))
        };
        staging.publish(legacy)
    }

    /// Every file of the folder but the manifest, rendered: (name, bytes) in write order.
    pub fn files(&self) -> Result<Vec<(&'static str, Vec<u8>)>> {
        let tables = self.table_files().into_iter();
        let tables = tables.filter_map(|name| Some((name, self.table(name)?)));
        // A table without rows is an empty file, but `summary.csv`, which always has its header.
        let bytes = |name, table: Table| match table.n_rows() == 0 && name != "summary.csv" {
            true => Ok(Vec::new()),
            false => table.csv(name),
        };
        tables
            .map(|(name, table)| Ok((name, bytes(name, table)?)))
            .collect()
    }

    /// The manifest (`manifest.json`) of a folder holding `files`.
    pub fn manifest(&self, files: &[(&str, Vec<u8>)]) -> Result<Vec<u8>> {
        manifest::json(self, files)
    }

    /// Fails if a summary metric is not finite (an absurd weight or demand scale), naming it, so
    /// no `inf` or `NaN` is written.
    fn check_finite(&self) -> Result<()> {
        for (run, (s, gap)) in self.runs.iter().zip(self.summaries.iter().copied()) {
            let values = summary_numbers(&s, gap);
            let bad = SUMMARY_COLUMNS
                .iter()
                .zip(values)
                .find_map(|(column, v)| v.filter(|v| !v.is_finite()).map(|v| (column, v)));
            if let Some((column, value)) = bad {
                return Err(Error::NotFinite {
                    policy: run.policy.clone(),
                    metric: column.to_string(),
                    value: value.to_string(),
                });
            }
        }
        Ok(())
    }
}

/// The summary metrics' columns, as in `summary.csv` and `sweep.csv`.
pub const SUMMARY_COLUMNS: [&str; 17] = [
    "objective_usd",
    "gap_to_offline",
    "cost_usd",
    "energy_mwh",
    "water_max_m3",
    "water_mean_m3",
    "water_par",
    "water_gini",
    "water_jain",
    "carbon_max_t",
    "carbon_mean_t",
    "carbon_par",
    "carbon_gini",
    "carbon_jain",
    "rtt_mean_ms",
    "rtt_p95_ms",
    "remote_share",
];

/// The values of [`SUMMARY_COLUMNS`] for one policy; unknown ones are `None`: the gap when
/// offline did not run, round-trip times without coordinates.
pub fn summary_numbers(s: &Summary, gap: Option<f64>) -> [Option<f64>; 17] {
    let (w, c, l) = (s.water_m3, s.carbon_t, s.latency);
    [
        Some(s.objective_usd),
        gap,
        Some(s.cost_usd),
        Some(s.energy_mwh),
        Some(w.max),
        Some(w.mean),
        Some(w.par),
        Some(w.gini),
        Some(w.jain),
        Some(c.max),
        Some(c.mean),
        Some(c.par),
        Some(c.gini),
        Some(c.jain),
        l.rtt_mean_ms,
        l.rtt_p95_ms,
        Some(l.remote_share),
    ]
}

/// [`summary_numbers`] as CSV cells.
pub fn summary_values(s: &Summary, gap: Option<f64>) -> Vec<String> {
    summary_numbers(s, gap).into_iter().map(number_text).collect()
}

/// A number as every CSV of fairglb writes it: the shortest text that reads back as the same
/// `f64`, always with a `.` or an exponent (`98.0`, `1e-7`), so readers type the column as
/// floating point whatever its values; `NaN` when unknown (pandas, polars and readr read it as
/// a missing number).
pub fn number_text(value: Option<f64>) -> String {
    ryu::Buffer::new().format(value.unwrap_or(f64::NAN)).to_string()
}

/// `records` (header first) as the CSV file `what`.
pub fn records_csv(what: &str, records: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        writer.write_record(&record).map_err(|e| render_error(what, e))?;
    }
    writer.into_inner().map_err(|e| render_error(what, e))
}
