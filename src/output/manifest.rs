//! `manifest.json`: what a run was, enough to check its files (`files_sha256`) and to run it
//! again (`fairglb run --from`, through [`Recorded`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Outputs, RunResults};
use crate::error::{Error, Result};
use crate::scenario::{Intensities, Scenario, SitePhysics, Source};

/// `manifest.json`: what a run was, enough to rerun it (`fairglb run --from`) and to check its
/// files; `results/README.md` describes every field.
#[derive(Serialize)]
struct Manifest<'a> {
    scenario: &'a str,
    scenario_file: String,
    scenario_sha256: &'a str,
    overrides: &'a [String],
    command_line: &'a [String],
    fairglb_version: &'a str,
    git_commit: &'a str,
    lp_backend: &'a str,
    seed: u64,
    routing: &'a str,
    hours: usize,
    first_hour_utc: &'a str,
    policies: Vec<&'a str>,
    outputs: Vec<&'a str>,
    weights: crate::model::EquityWeights,
    data_centers: Vec<DcRecord<'a>>,
    policy_params: BTreeMap<&'a str, toml::Table>,
    traces_sha256: BTreeMap<String, String>,
    unused_trace_dcs: &'a [String],
    trace_anomalies: &'a [crate::model::TraceAnomaly],
    effective_scenario: &'a toml::Table,
    notes: Vec<String>,
    /// SHA-256 of every other file of the folder but `timings.csv` (wall-clock times, which
    /// differ between runs): what readers check that the files belong to this run.
    files_sha256: BTreeMap<&'a str, String>,
}

/// One data center as the run resolved it.
#[derive(Serialize)]
struct DcRecord<'a> {
    name: &'a str,
    capacity_mw: f64,
    water_vulnerability: f64,
    carbon_vulnerability: f64,
    /// Its physics, for a scenario derived from physical traces.
    physics: Option<&'a SitePhysics>,
}

/// What fairglb was built from: a git commit (`-dirty` if tracked files differed), or a sentence
/// saying it was not built from a git checkout.
pub fn git_commit() -> &'static str {
    match env!("FAIRGLB_GIT_COMMIT") {
        "" => "unknown: not built from a git checkout",
        commit => commit,
    }
}

/// `manifest.json` of `results`, whose other files are `files`.
pub(super) fn json(results: &RunResults, files: &[(&str, Vec<u8>)]) -> Result<Vec<u8>> {
    let (s, fleet) = (results.scenario, &results.problem.fleet);
    let physics = |d: usize| match &s.intensities {
        Intensities::Physical(spec) => Some(&spec.sites[d]),
        Intensities::Precomputed { .. } => None,
    };
    let data_centers = (0..fleet.dcs.len())
        .map(|d| DcRecord {
            name: &fleet.dcs[d],
            capacity_mw: fleet.capacity_mw[d],
            water_vulnerability: fleet.water_vulnerability[d],
            carbon_vulnerability: fleet.carbon_vulnerability[d],
            physics: physics(d),
        })
        .collect();
    let mut traces_sha256 = BTreeMap::new();
    for path in s.trace_paths() {
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let absolute = std::path::absolute(&path).unwrap_or(path);
        traces_sha256.insert(absolute.display().to_string(), crate::files::sha256_hex(&bytes));
    }
    let files_sha256 = files
        .iter()
        .filter(|(name, _)| *name != "timings.csv")
        .map(|(name, bytes)| (*name, crate::files::sha256_hex(bytes)))
        .collect();
    let manifest = Manifest {
        scenario: &s.name,
        scenario_file: s.source.path.display().to_string(),
        scenario_sha256: &s.source.sha256,
        overrides: &s.source.overrides,
        command_line: &results.command_line,
        fairglb_version: env!("CARGO_PKG_VERSION"),
        git_commit: git_commit(),
        lp_backend: crate::solver::lp::BACKENDS,
        seed: s.seed,
        routing: fleet.routing.kind.name(),
        hours: results.problem.n_hours(),
        first_hour_utc: &results.problem.hours[0],
        policies: results.runs.iter().map(|r| r.policy.as_str()).collect(),
        outputs: results.outputs.names(),
        weights: fleet.equity,
        data_centers,
        policy_params: results
            .runs
            .iter()
            .map(|r| (r.policy.as_str(), s.resolved_params(&r.policy)))
            .collect(),
        traces_sha256,
        unused_trace_dcs: &results.problem.unused_trace_dcs,
        trace_anomalies: &results.problem.trace_anomalies,
        effective_scenario: &s.source.effective,
        notes: results.runs.iter().flat_map(|r| r.notes.clone()).collect(),
        files_sha256,
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Render {
        what: "manifest.json".into(),
        msg: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A run as its manifest recorded it: what `fairglb run --from` needs to run it again.
pub struct Recorded {
    /// The scenario, as run (its `effective_scenario`, with the original file, hash and
    /// overrides recorded as its source).
    pub scenario: Scenario,
    /// The policies, in run order.
    pub policies: Vec<String>,
    /// The per-hour files written.
    pub outputs: Outputs,
}

/// The fields of a manifest that a rerun reads.
#[derive(Deserialize)]
struct RecordedFields {
    scenario_file: String,
    scenario_sha256: String,
    overrides: Vec<String>,
    policies: Vec<String>,
    outputs: Vec<String>,
    traces_sha256: BTreeMap<String, String>,
    effective_scenario: toml::Table,
}

impl Recorded {
    /// Reads the manifest `path` and checks that every trace it names still has the recorded
    /// SHA-256, so a rerun reads the same data or fails naming the file that changed.
    pub fn read(path: &Path) -> Result<Recorded> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let fields: RecordedFields = serde_json::from_str(&text).map_err(|e| {
            Error::file(
                path,
                format!("not a run's manifest.json: {e} (fairglb run writes one into every results folder)"),
            )
        })?;
        for (trace, recorded) in &fields.traces_sha256 {
            let trace_path = Path::new(trace);
            let bytes = std::fs::read(trace_path).map_err(|e| Error::io(trace_path, e))?;
            let now = crate::files::sha256_hex(&bytes);
            if &now != recorded {
                return Err(Error::file(
                    path,
                    format!("trace {trace} changed since this run (SHA-256 {recorded} recorded, {now} now)"),
                ));
            }
        }
        let outputs = Outputs::parse(&fields.outputs.join(","))
            .map_err(|msg| Error::file(path, format!("`outputs`: {msg}")))?;
        let source = Source {
            path: fields.scenario_file.into(),
            sha256: fields.scenario_sha256,
            overrides: fields.overrides,
            effective: fields.effective_scenario.clone(),
        };
        let scenario = Scenario::from_effective(fields.effective_scenario, source, path)?;
        Ok(Recorded {
            scenario,
            policies: fields.policies,
            outputs,
        })
    }
}
