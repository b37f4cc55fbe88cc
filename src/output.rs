//! Result files: tidy CSVs with units in column names and a JSON manifest, each written
//! atomically (temporary file in the same folder, then rename), and the terminal summary table.
//!
//! Every file is rendered in memory before the first one is written, so an error leaves nothing
//! behind. Wall-clock times go to `timings.csv` only, so the other files are byte-identical
//! between runs of the same scenario.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::footprint::Footprint;
use crate::metrics::{self, Summary};
use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::sim::PolicyRun;

/// One scenario's results, ready to write.
pub struct Report<'a> {
    /// The scenario run.
    pub scenario: &'a Scenario,
    /// Its problem.
    pub problem: &'a Problem,
    /// One run per policy, in output order.
    pub runs: &'a [PolicyRun],
}

#[derive(Serialize)]
struct RegionRow<'a> {
    policy: &'a str,
    dc: &'a str,
    energy_mwh: f64,
    cost_usd: f64,
    carbon_kg: f64,
    water_l: f64,
}

#[derive(Serialize)]
struct HourRow<'a> {
    policy: &'a str,
    hour_utc: &'a str,
    dc: &'a str,
    load_mw: f64,
    cost_usd: f64,
    carbon_kg: f64,
    water_l: f64,
}

#[derive(Serialize)]
struct SummaryRow<'a> {
    policy: &'a str,
    objective_usd: f64,
    gap_to_offline: Option<f64>,
    cost_usd: f64,
    energy_mwh: f64,
    water_max_m3: f64,
    water_mean_m3: f64,
    water_par: f64,
    water_gini: f64,
    water_jain: f64,
    carbon_max_t: f64,
    carbon_mean_t: f64,
    carbon_par: f64,
    carbon_gini: f64,
    carbon_jain: f64,
}

#[derive(Serialize)]
struct TimingRow<'a> {
    policy: &'a str,
    seconds: f64,
}

#[derive(Serialize)]
struct Manifest<'a> {
    scenario: &'a str,
    scenario_file: String,
    scenario_sha256: &'a str,
    overrides: &'a [String],
    routing: &'a str,
    hours: usize,
    first_hour_utc: &'a str,
    policies: Vec<&'a str>,
    fairglb_version: &'a str,
    lp_backend: &'a str,
    seed: u64,
    notes: Vec<String>,
}

impl Report<'_> {
    /// Per-data-center totals of every run.
    pub fn totals(&self) -> Vec<Vec<Footprint>> {
        self.runs
            .iter()
            .map(|r| metrics::dc_totals(self.problem, &r.loads_mw))
            .collect()
    }

    /// Every run's summary, and its relative objective gap to `eglb-offline` if that ran.
    pub fn summaries(&self) -> Vec<(Summary, Option<f64>)> {
        let summaries: Vec<Summary> = self
            .totals()
            .iter()
            .map(|t| Summary::of(self.problem, t))
            .collect();
        let offline = self
            .runs
            .iter()
            .position(|r| r.policy == "eglb-offline")
            .map(|i| summaries[i].objective_usd);
        summaries
            .into_iter()
            .map(|s| {
                (
                    s,
                    offline.map(|o| (s.objective_usd - o) / o.abs().max(f64::MIN_POSITIVE)),
                )
            })
            .collect()
    }

    /// Writes `regions.csv`, `hourly.csv`, `summary.csv`, `timings.csv` and `manifest.json` into `dir`.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let files = [
            ("regions.csv", self.regions_csv()),
            ("hourly.csv", self.hourly_csv()),
            ("summary.csv", self.summary_csv()),
            ("timings.csv", self.timings_csv()),
            ("manifest.json", self.manifest_json()),
        ];
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        for (name, bytes) in files {
            write_atomic(&dir.join(name), &bytes?)?;
        }
        Ok(())
    }

    fn regions_csv(&self) -> Result<Vec<u8>> {
        let totals = self.totals();
        let rows = self.runs.iter().zip(&totals).flat_map(|(run, dcs)| {
            dcs.iter()
                .zip(&self.problem.fleet.dcs)
                .map(move |(f, dc)| RegionRow {
                    policy: &run.policy,
                    dc,
                    energy_mwh: f.energy_mwh,
                    cost_usd: f.cost_usd,
                    carbon_kg: f.carbon_kg,
                    water_l: f.water_l,
                })
        });
        to_csv(rows)
    }

    fn hourly_csv(&self) -> Result<Vec<u8>> {
        let p = self.problem;
        let rows = self.runs.iter().flat_map(|run| {
            run.loads_mw.iter().enumerate().flat_map(move |(t, loads)| {
                let hour = p.hour(t);
                loads.iter().enumerate().map(move |(d, &load)| {
                    let f = Footprint::of_hour(
                        load,
                        hour.price_usd_per_mwh[d],
                        hour.carbon_kg_per_kwh[d],
                        hour.water_l_per_kwh[d],
                    );
                    HourRow {
                        policy: &run.policy,
                        hour_utc: &p.hours[t],
                        dc: &p.fleet.dcs[d],
                        load_mw: load,
                        cost_usd: f.cost_usd,
                        carbon_kg: f.carbon_kg,
                        water_l: f.water_l,
                    }
                })
            })
        });
        to_csv(rows)
    }

    fn summary_csv(&self) -> Result<Vec<u8>> {
        let summaries = self.summaries();
        let rows = self
            .runs
            .iter()
            .zip(&summaries)
            .map(|(run, (s, gap))| SummaryRow {
                policy: &run.policy,
                objective_usd: s.objective_usd,
                gap_to_offline: *gap,
                cost_usd: s.cost_usd,
                energy_mwh: s.energy_mwh,
                water_max_m3: s.water_m3.max,
                water_mean_m3: s.water_m3.mean,
                water_par: s.water_m3.par,
                water_gini: s.water_m3.gini,
                water_jain: s.water_m3.jain,
                carbon_max_t: s.carbon_t.max,
                carbon_mean_t: s.carbon_t.mean,
                carbon_par: s.carbon_t.par,
                carbon_gini: s.carbon_t.gini,
                carbon_jain: s.carbon_t.jain,
            });
        to_csv(rows)
    }

    fn timings_csv(&self) -> Result<Vec<u8>> {
        to_csv(self.runs.iter().map(|r| TimingRow {
            policy: &r.policy,
            seconds: r.seconds,
        }))
    }

    fn manifest_json(&self) -> Result<Vec<u8>> {
        let s = self.scenario;
        let manifest = Manifest {
            scenario: &s.raw.name,
            scenario_file: s.path.display().to_string(),
            scenario_sha256: &s.sha256,
            overrides: &s.overrides,
            routing: self.problem.fleet.routing.kind.name(),
            hours: self.problem.n_hours(),
            first_hour_utc: &self.problem.hours[0],
            policies: self.runs.iter().map(|r| r.policy.as_str()).collect(),
            fairglb_version: env!("CARGO_PKG_VERSION"),
            lp_backend: crate::lp::BACKENDS,
            seed: s.raw.seed,
            notes: self.runs.iter().flat_map(|r| r.notes.clone()).collect(),
        };
        let mut bytes = serde_json::to_vec_pretty(&manifest).expect("the manifest is plain data");
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// A compact table of the summaries for the terminal.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<18} {:>14} {:>9} {:>12} {:>10} {:>6} {:>10} {:>6}",
            "policy", "objective_usd", "gap", "cost_usd", "water_max", "PAR", "carbon_max", "PAR"
        );
        let _ = writeln!(
            out,
            "{:<18} {:>14} {:>9} {:>12} {:>10} {:>6} {:>10} {:>6}",
            "", "", "", "", "m3", "", "t", ""
        );
        for (run, (s, gap)) in self.runs.iter().zip(self.summaries()) {
            let gap = gap.map_or("-".to_string(), |g| format!("{:+.2}%", 100.0 * g));
            let _ = writeln!(
                out,
                "{:<18} {:>14.1} {:>9} {:>12.1} {:>10.1} {:>6.3} {:>10.1} {:>6.3}",
                run.policy,
                s.objective_usd,
                gap,
                s.cost_usd,
                s.water_m3.max,
                s.water_m3.par,
                s.carbon_t.max,
                s.carbon_t.par
            );
        }
        out
    }
}

fn to_csv<T: Serialize>(rows: impl Iterator<Item = T>) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .serialize(row)
            .map_err(|e| Error::file("<csv>", e.to_string()))?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::file("<csv>", e.to_string()))
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    let mut file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}
