//! The one module that joins a scenario with its traces: it reads the trace files a [`Scenario`]
//! names (once, into a [`TraceCache`] shared by every run of a sweep), derives physical
//! intensities ([`intensity`]) and per-gateway demand ([`demand`]), and assembles the
//! [`Problem`] policies solve, checking names, coverage and feasibility; [`quality`] runs the
//! trace quality checks for the balancing authorities a scenario uses. [`load`] does all of it
//! for one scenario file.

pub mod demand;
pub mod intensity;
pub mod quality;

use std::collections::{BTreeMap, HashMap, HashSet, btree_map, hash_map};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::{Error, Result, listed};
use crate::files;
use crate::model::Problem;
use crate::scenario::{Intensities, Scenario};
use crate::traces::physical::{PhysicalPaths, PhysicalTraces};
use crate::traces::{self, DcSeries, DcTraces, WorkloadTrace};
use intensity::Site;

/// Reads the scenario at `path` with `overrides` (`KEY=VALUE`, as `--set` takes them), reads its
/// traces and builds its problem.
pub fn load(path: &Path, overrides: &[String]) -> Result<(Scenario, Problem)> {
    let scenario = Scenario::load(path, overrides)?;
    let problem = problem(&scenario)?;
    Ok((scenario, problem))
}

/// The problem of `scenario`, its traces read once.
pub fn problem(scenario: &Scenario) -> Result<Problem> {
    let mut cache = TraceCache::default();
    cache.preload(scenario)?;
    cache.problem(scenario)
}

/// Trace files read once and shared read-only, keyed by path (and column, for workloads).
#[derive(Debug, Default)]
pub struct TraceCache {
    dc: HashMap<PathBuf, DcTraces>,
    physical: HashMap<PhysicalPaths, PhysicalTraces>,
    workload: HashMap<(PathBuf, String), WorkloadTrace>,
    sha256: BTreeMap<PathBuf, String>,
}

impl TraceCache {
    /// Reads the traces `scenario` needs, unless already read.
    pub fn preload(&mut self, scenario: &Scenario) -> Result<()> {
        match &scenario.intensities {
            Intensities::Precomputed { dc_hourly } => {
                if !self.dc.contains_key(dc_hourly) {
                    self.dc
                        .insert(dc_hourly.clone(), traces::read_dc_traces(dc_hourly)?);
                }
            }
            Intensities::Physical(spec) => {
                if !self.physical.contains_key(&spec.files) {
                    self.physical
                        .insert(spec.files.clone(), PhysicalTraces::read(&spec.files)?);
                }
            }
        }
        for path in scenario.trace_paths() {
            if let btree_map::Entry::Vacant(slot) = self.sha256.entry(path) {
                let bytes = std::fs::read(slot.key()).map_err(|e| Error::io(slot.key(), e))?;
                slot.insert(files::sha256_hex(&bytes));
            }
        }
        let demand = &scenario.demand;
        let key = (demand.workload.clone(), demand.column.clone());
        if let hash_map::Entry::Vacant(slot) = self.workload.entry(key) {
            let trace = traces::read_workload(&slot.key().0, &slot.key().1)?;
            slot.insert(trace);
        }
        Ok(())
    }

    /// SHA-256 of every trace file read so far, sorted (what the data is, wherever it lives).
    pub fn content_sha256(&self) -> Vec<String> {
        let mut hashes: Vec<String> = self.sha256.values().cloned().collect();
        hashes.sort();
        hashes.dedup();
        hashes
    }

    /// The physical traces of `scenario`, if it has them, from [`TraceCache::preload`].
    pub fn physical(&self, scenario: &Scenario) -> Option<&PhysicalTraces> {
        match &scenario.intensities {
            Intensities::Physical(spec) => self.physical.get(&spec.files),
            Intensities::Precomputed { .. } => None,
        }
    }

    /// The problem of `scenario`, from traces read by [`TraceCache::preload`].
    pub fn problem(&self, scenario: &Scenario) -> Result<Problem> {
        Ok(self.problem_and_sites(scenario)?.0)
    }

    /// The problem of `scenario`, and for physical traces the derived per-site series it was
    /// built from (for `fairglb traces check`).
    pub fn problem_and_sites(&self, scenario: &Scenario) -> Result<(Problem, Option<Vec<Site>>)> {
        let demand = &scenario.demand;
        let not_loaded = |path: &Path| Error::file(path, "trace not preloaded (a bug in the caller)");
        let workload = self
            .workload
            .get(&(demand.workload.clone(), demand.column.clone()))
            .ok_or_else(|| not_loaded(&demand.workload))?;
        match &scenario.intensities {
            Intensities::Precomputed { dc_hourly } => {
                let dc = self.dc.get(dc_hourly).ok_or_else(|| not_loaded(dc_hourly))?;
                let (series, unused) = match_dc_names(scenario, dc)?;
                let notes = TraceNotes {
                    unused_dcs: unused,
                    anomalies: Vec::new(),
                };
                Ok((assemble(scenario, &dc.hours, series, workload, notes)?, None))
            }
            Intensities::Physical(spec) => {
                let traces = self
                    .physical
                    .get(&spec.files)
                    .ok_or_else(|| not_loaded(&spec.files.weather))?;
                let sites = intensity::derive(scenario, spec, traces)?;
                let series = sites.iter().map(Site::series).collect();
                let (start, n_hours) = window(scenario, &traces.weather.hours)?;
                let notes = TraceNotes {
                    unused_dcs: Vec::new(),
                    anomalies: quality::anomalies(spec, traces, start..start + n_hours),
                };
                let problem = assemble(scenario, &traces.weather.hours, series, workload, notes)?;
                Ok((problem, Some(sites)))
            }
        }
    }
}

/// Each scenario data center's series in the trace file, in scenario order, and the file's data
/// centers the scenario does not use (they are ignored).
fn match_dc_names<'a>(scenario: &Scenario, traces: &'a DcTraces) -> Result<(Vec<&'a DcSeries>, Vec<String>)> {
    let dcs = &scenario.fleet.dcs;
    let in_file: HashMap<&str, usize> = traces
        .dcs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), i))
        .collect();
    let in_scenario: HashSet<&str> = dcs.iter().map(String::as_str).collect();
    let missing: Vec<&str> = dcs
        .iter()
        .map(String::as_str)
        .filter(|d| !in_file.contains_key(d))
        .collect();
    if !missing.is_empty() {
        return Err(Error::file(
            &traces.path,
            format!(
                "has no rows for the data centers [{}] of {} (the file holds [{}])",
                listed(&missing, ", "),
                scenario.source.path.display(),
                listed(&traces.dcs, ", ")
            ),
        ));
    }
    let unused = traces
        .dcs
        .iter()
        .filter(|d| !in_scenario.contains(d.as_str()))
        .cloned()
        .collect();
    Ok((
        dcs.iter().map(|d| &traces.series[in_file[d.as_str()]]).collect(),
        unused,
    ))
}

/// The first hour (an index into `hours`) and the number of hours of `scenario`'s horizon.
fn window(scenario: &Scenario, hours: &[DateTime<Utc>]) -> Result<(usize, usize)> {
    let err = |msg: String| Error::file(&scenario.source.path, msg);
    let (first, last) = (
        traces::format_hour(&hours[0]),
        traces::format_hour(&hours[hours.len() - 1]),
    );
    let start = match scenario.horizon_start {
        None => 0,
        Some(start) => hours.iter().position(|h| *h == start).ok_or_else(|| {
            err(format!(
                "horizon.start = {}, but the traces hold the hours from {first} to {last}",
                traces::format_hour(&start)
            ))
        })?,
    };
    let available = hours.len() - start;
    match scenario.horizon_hours {
        Some(h) if h > available => Err(err(format!(
            "horizon.hours = {h}, but the traces hold only {available} hours from {} (to {last})",
            traces::format_hour(&hours[start])
        ))),
        Some(h) => Ok((start, h)),
        None => Ok((start, available)),
    }
}

/// What the manifest says of a problem's traces.
struct TraceNotes {
    /// The trace file's data centers the scenario leaves out.
    unused_dcs: Vec<String>,
    /// Anomalous runs of hours within the horizon.
    anomalies: Vec<crate::model::TraceAnomaly>,
}

/// The problem over the scenario's horizon from every data center's series (scenario order) on
/// `hours`, with its demand and `notes`; checks that every hour's demand can be served.
fn assemble<S: std::borrow::Borrow<DcSeries>>(
    scenario: &Scenario,
    hours: &[DateTime<Utc>],
    series: Vec<S>,
    workload: &WorkloadTrace,
    notes: TraceNotes,
) -> Result<Problem> {
    let (start, n_hours) = window(scenario, hours)?;
    let series: Vec<&DcSeries> = series.iter().map(|s| s.borrow()).collect();
    let per_hour = |pick: &dyn Fn(&DcSeries) -> &[f64]| -> Vec<Vec<f64>> {
        (0..n_hours)
            .map(|t| series.iter().map(|s| pick(s)[start + t]).collect())
            .collect()
    };
    let embodied = scenario.embodied_kg_per_kwh;
    let mut carbon_kg_per_kwh = per_hour(&|s| &s.carbon_kg_per_kwh);
    carbon_kg_per_kwh
        .iter_mut()
        .flatten()
        .for_each(|c| *c += embodied);
    let onsite: Option<Vec<&[f64]>> = series
        .iter()
        .map(|s| s.water_onsite_l_per_kwh.as_deref())
        .collect();
    let problem = Problem {
        fleet: scenario.fleet.clone(),
        hours: hours[start..start + n_hours]
            .iter()
            .map(traces::format_hour)
            .collect(),
        price_usd_per_mwh: per_hour(&|s| &s.price_usd_per_mwh),
        carbon_kg_per_kwh,
        water_l_per_kwh: per_hour(&|s| &s.water_l_per_kwh),
        water_onsite_l_per_kwh: onsite.map(|onsite| {
            (0..n_hours)
                .map(|t| onsite.iter().map(|s| s[start + t]).collect())
                .collect()
        }),
        carbon_embodied_kg_per_kwh: embodied,
        demand_mw: demand::gateway_demand_mw(scenario, workload, hours, start, n_hours)?,
        unused_trace_dcs: notes.unused_dcs,
        trace_anomalies: notes.anomalies,
        forecast: scenario.forecast,
        carried: Default::default(),
    };
    problem.check_feasible()?;
    Ok(problem)
}
