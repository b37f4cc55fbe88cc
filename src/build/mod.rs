//! The one module that joins a scenario with its traces: it reads the trace files a [`Scenario`]
//! names (once, into a [`TraceCache`] shared by every run of a sweep), derives physical
//! intensities ([`intensity`]) and per-gateway demand ([`demand`]), and assembles the
//! [`Problem`] policies solve, checking names, coverage and feasibility. [`load`] does all of it
//! for one scenario file.

pub mod demand;
pub mod intensity;

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
                let series = match_dc_names(scenario, dc)?;
                Ok((assemble(scenario, &dc.hours, series, workload)?, None))
            }
            Intensities::Physical(spec) => {
                let traces = self
                    .physical
                    .get(&spec.files)
                    .ok_or_else(|| not_loaded(&spec.files.weather))?;
                let sites = intensity::derive(scenario, spec, traces)?;
                let series = sites.iter().map(Site::series).collect();
                let problem = assemble(scenario, &traces.weather.hours, series, workload)?;
                Ok((problem, Some(sites)))
            }
        }
    }
}

/// Each scenario data center's series in the trace file, in scenario order; the two name sets
/// must be equal.
fn match_dc_names<'a>(scenario: &Scenario, traces: &'a DcTraces) -> Result<Vec<&'a DcSeries>> {
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
    let extra: Vec<&str> = traces
        .dcs
        .iter()
        .map(String::as_str)
        .filter(|d| !in_scenario.contains(d))
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(Error::file(
            &traces.path,
            format!(
                "dc names do not match {}: scenario dcs missing from the file: [{}]; file dcs not in the scenario: [{}]",
                scenario.source.path.display(),
                listed(&missing, ", "),
                listed(&extra, ", ")
            ),
        ));
    }
    Ok(dcs.iter().map(|d| &traces.series[in_file[d.as_str()]]).collect())
}

/// The problem over the scenario's horizon from every data center's series (scenario order) on
/// `hours`, with its demand; checks that every hour's demand can be served.
fn assemble<S: std::borrow::Borrow<DcSeries>>(
    scenario: &Scenario,
    hours: &[DateTime<Utc>],
    series: Vec<S>,
    workload: &WorkloadTrace,
) -> Result<Problem> {
    let n_hours = match scenario.horizon_hours {
        Some(h) if h > hours.len() => {
            return Err(Error::file(
                &scenario.source.path,
                format!(
                    "horizon.hours = {h}, but the traces hold only {} hours",
                    hours.len()
                ),
            ));
        }
        Some(h) => h,
        None => hours.len(),
    };
    let series: Vec<&DcSeries> = series.iter().map(|s| s.borrow()).collect();
    let per_hour = |pick: &dyn Fn(&DcSeries) -> &[f64]| -> Vec<Vec<f64>> {
        (0..n_hours)
            .map(|t| series.iter().map(|s| pick(s)[t]).collect())
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
        hours: hours[..n_hours].iter().map(traces::format_hour).collect(),
        price_usd_per_mwh: per_hour(&|s| &s.price_usd_per_mwh),
        carbon_kg_per_kwh,
        water_l_per_kwh: per_hour(&|s| &s.water_l_per_kwh),
        water_onsite_l_per_kwh: onsite.map(|onsite| {
            (0..n_hours)
                .map(|t| onsite.iter().map(|s| s[t]).collect())
                .collect()
        }),
        carbon_embodied_kg_per_kwh: embodied,
        demand_mw: demand::gateway_demand_mw(scenario, workload, hours, n_hours)?,
    };
    problem.check_feasible()?;
    Ok(problem)
}
