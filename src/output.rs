//! Result files: tidy CSVs with units in column names and a JSON manifest, each written
//! atomically (temporary file in the same folder, then rename).
//!
//! Every file is rendered in memory before the first one is written, so an error leaves nothing
//! behind. Wall-clock times go to `timings.csv` only, so the other files are byte-identical
//! between runs of the same scenario.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::files::{MANIFEST, Staging, is_owned_folder};
use crate::footprint::Footprint;
use crate::metrics::{self, Summary};
use crate::model::Problem;
use crate::scenario::Scenario;
use crate::sim::PolicyRun;

/// One scenario's results, ready to write: the runs, and their totals and summaries, computed once.
pub struct RunResults<'a> {
    scenario: &'a Scenario,
    problem: &'a Problem,
    runs: &'a [PolicyRun],
    totals: Vec<Vec<Footprint>>,
    summaries: Vec<(Summary, Option<f64>)>,
}

#[derive(Serialize)]
struct RegionRow<'a> {
    policy: &'a str,
    dc: &'a str,
    energy_mwh: f64,
    cost_usd: f64,
}

/// Carbon and water with their parts, the columns after a [`RegionRow`] or [`HourRow`] (csv
/// writes a tuple of structs as one row); the water parts are empty where the traces do not split
/// water (precomputed intensities such as the paper's).
#[derive(Serialize)]
struct Split {
    carbon_kg: f64,
    carbon_operational_kg: f64,
    carbon_embodied_kg: f64,
    water_l: f64,
    water_onsite_l: Option<f64>,
    water_offsite_l: Option<f64>,
}

impl Split {
    fn of(f: &Footprint, water_split: bool) -> Split {
        Split {
            carbon_kg: f.carbon_kg,
            carbon_operational_kg: f.carbon_operational_kg(),
            carbon_embodied_kg: f.carbon_embodied_kg,
            water_l: f.water_l,
            water_onsite_l: water_split.then_some(f.water_onsite_l),
            water_offsite_l: water_split.then(|| f.water_offsite_l()),
        }
    }
}

#[derive(Serialize)]
struct HourRow<'a> {
    policy: &'a str,
    hour_utc: &'a str,
    dc: &'a str,
    load_mw: f64,
    cost_usd: f64,
}

#[derive(Serialize)]
struct IntensityRow<'a> {
    hour_utc: &'a str,
    dc: &'a str,
    price_usd_per_mwh: f64,
    carbon_kg_per_kwh: f64,
    water_l_per_kwh: f64,
    water_onsite_l_per_kwh: Option<f64>,
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
    /// SHA-256 of every other file of the folder but `timings.csv` (wall-clock times, which
    /// differ between runs): what readers check that the files belong to this run.
    files_sha256: std::collections::BTreeMap<&'a str, String>,
}

impl<'a> RunResults<'a> {
    /// The results of `runs` (one per policy, in output order) of `scenario`'s `problem`.
    pub fn new(scenario: &'a Scenario, problem: &'a Problem, runs: &'a [PolicyRun]) -> RunResults<'a> {
        let totals: Vec<Vec<Footprint>> = runs
            .iter()
            .map(|r| metrics::dc_totals(problem, &r.loads_mw))
            .collect();
        let summaries: Vec<Summary> = totals.iter().map(|t| Summary::of(problem, t)).collect();
        let offline = runs
            .iter()
            .position(|r| r.policy == "eglb-offline")
            .map(|i| summaries[i].objective_usd);
        let summaries = summaries
            .into_iter()
            .map(|s| {
                (
                    s,
                    offline.map(|o| (s.objective_usd - o) / o.abs().max(f64::MIN_POSITIVE)),
                )
            })
            .collect();
        RunResults {
            scenario,
            problem,
            runs,
            totals,
            summaries,
        }
    }

    /// Every run's summary, and its relative objective gap to `eglb-offline` if that ran.
    pub fn summaries(&self) -> &[(Summary, Option<f64>)] {
        &self.summaries
    }

    /// The policies' names, in run order.
    pub fn policies(&self) -> impl Iterator<Item = &str> {
        self.runs.iter().map(|r| r.policy.as_str())
    }

    /// Writes `regions.csv`, `hourly.csv`, `summary.csv`, `intensity.csv`, `timings.csv` and
    /// `manifest.json` as the folder `dir`, whole or not at all; an older results folder there is
    /// replaced (with the figures and report drawn from it), a folder holding anything else
    /// refused.
    pub fn write(&self, dir: &Path) -> Result<()> {
        self.check_finite()?;
        let files = [
            ("regions.csv", self.regions_csv()?),
            ("hourly.csv", self.hourly_csv()?),
            ("summary.csv", self.summary_csv()?),
            ("intensity.csv", self.intensity_csv()?),
            ("timings.csv", self.timings_csv()?),
        ];
        let manifest = self.manifest_json(&files)?;
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

    /// Fails if a summary metric is not finite (an absurd weight or demand scale), naming it, so
    /// no `inf` or `NaN` is written.
    fn check_finite(&self) -> Result<()> {
        for (run, (s, gap)) in self.runs.iter().zip(self.summaries.iter().copied()) {
            let values = summary_values(&s, gap);
            let bad = SUMMARY_COLUMNS
                .iter()
                .zip(&values)
                .find(|(_, v)| !v.is_empty() && !v.parse::<f64>().is_ok_and(f64::is_finite));
            if let Some((column, value)) = bad {
                return Err(Error::NotFinite {
                    policy: run.policy.clone(),
                    metric: column.to_string(),
                    value: value.clone(),
                });
            }
        }
        Ok(())
    }

    fn regions_csv(&self) -> Result<Vec<u8>> {
        let totals = &self.totals;
        let split = self.problem.water_onsite_l_per_kwh.is_some();
        let rows = self.runs.iter().zip(totals).flat_map(|(run, dcs)| {
            dcs.iter().zip(&self.problem.fleet.dcs).map(move |(f, dc)| {
                let row = RegionRow {
                    policy: &run.policy,
                    dc,
                    energy_mwh: f.energy_mwh,
                    cost_usd: f.cost_usd,
                };
                (row, Split::of(f, split))
            })
        });
        to_csv("regions.csv", rows)
    }

    fn hourly_csv(&self) -> Result<Vec<u8>> {
        let p = self.problem;
        let split = p.water_onsite_l_per_kwh.is_some();
        let rows = self.runs.iter().flat_map(|run| {
            run.loads_mw.iter().enumerate().flat_map(move |(t, loads)| {
                loads.iter().enumerate().map(move |(d, &load)| {
                    let f = p.footprint(t, d, load);
                    let row = HourRow {
                        policy: &run.policy,
                        hour_utc: &p.hours[t],
                        dc: &p.fleet.dcs[d],
                        load_mw: load,
                        cost_usd: f.cost_usd,
                    };
                    (row, Split::of(&f, split))
                })
            })
        });
        to_csv("hourly.csv", rows)
    }

    fn summary_csv(&self) -> Result<Vec<u8>> {
        let header = std::iter::once("policy".to_string()).chain(SUMMARY_COLUMNS.map(String::from));
        let rows = self.runs.iter().zip(self.summaries.iter().copied());
        let records = rows.map(|(run, (s, gap))| {
            std::iter::once(run.policy.clone())
                .chain(summary_values(&s, gap))
                .collect()
        });
        records_csv("summary.csv", std::iter::once(header.collect()).chain(records))
    }

    fn intensity_csv(&self) -> Result<Vec<u8>> {
        let p = self.problem;
        let rows = (0..p.n_hours()).flat_map(|t| {
            let hour = p.hour(t);
            p.fleet.dcs.iter().enumerate().map(move |(d, dc)| IntensityRow {
                hour_utc: &p.hours[t],
                dc,
                price_usd_per_mwh: hour.price_usd_per_mwh[d],
                carbon_kg_per_kwh: hour.carbon_kg_per_kwh[d],
                water_l_per_kwh: hour.water_l_per_kwh[d],
                water_onsite_l_per_kwh: p.water_onsite_l_per_kwh.as_ref().map(|w| w[t][d]),
            })
        });
        to_csv("intensity.csv", rows)
    }

    fn timings_csv(&self) -> Result<Vec<u8>> {
        to_csv(
            "timings.csv",
            self.runs.iter().map(|r| TimingRow {
                policy: &r.policy,
                seconds: r.seconds,
            }),
        )
    }

    fn manifest_json(&self, files: &[(&'a str, Vec<u8>)]) -> Result<Vec<u8>> {
        let s = self.scenario;
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
            routing: self.problem.fleet.routing.kind.name(),
            hours: self.problem.n_hours(),
            first_hour_utc: &self.problem.hours[0],
            policies: self.runs.iter().map(|r| r.policy.as_str()).collect(),
            fairglb_version: env!("CARGO_PKG_VERSION"),
            lp_backend: crate::solver::lp::BACKENDS,
            seed: s.seed,
            notes: self.runs.iter().flat_map(|r| r.notes.clone()).collect(),
            files_sha256,
        };
        let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Render {
            what: "manifest.json".into(),
            msg: e.to_string(),
        })?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// The summary metrics' columns, as in `summary.csv` and `sweep.csv`.
pub const SUMMARY_COLUMNS: [&str; 14] = [
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
];

/// The values of [`SUMMARY_COLUMNS`] for one policy (the gap is empty when offline did not run).
pub fn summary_values(s: &Summary, gap: Option<f64>) -> Vec<String> {
    let (w, c) = (s.water_m3, s.carbon_t);
    let mut values: Vec<String> = [s.objective_usd].iter().map(f64::to_string).collect();
    values.push(gap.map_or(String::new(), |g| g.to_string()));
    values.extend(
        [
            s.cost_usd,
            s.energy_mwh,
            w.max,
            w.mean,
            w.par,
            w.gini,
            w.jain,
            c.max,
            c.mean,
            c.par,
            c.gini,
            c.jain,
        ]
        .iter()
        .map(f64::to_string),
    );
    values
}

/// `what` could not be rendered.
fn render_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Render {
        what: what.to_string(),
        msg: e.to_string(),
    }
}

/// `rows` as the CSV file `what` (serde rows with a header from their field names).
fn to_csv<T: Serialize>(what: &str, rows: impl Iterator<Item = T>) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row).map_err(|e| render_error(what, e))?;
    }
    writer.into_inner().map_err(|e| render_error(what, e))
}

/// `records` (header first) as the CSV file `what`.
pub fn records_csv(what: &str, records: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        writer.write_record(&record).map_err(|e| render_error(what, e))?;
    }
    writer.into_inner().map_err(|e| render_error(what, e))
}
