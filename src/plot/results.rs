//! The results folder `plot` and `report` read: its CSVs (only the tool's own, checked against
//! the manifest's checksums and against each other), and the figures they support.

use std::path::Path;

use super::extract::{hourly_figures, hourly_series, policy_points, region_totals, sweep_figures};
use super::table::Table;
use super::{Figure, Options};
use crate::error::{Error, Result};

/// The result files of one folder that figures are drawn from.
#[derive(Debug, Clone)]
pub struct Results {
    /// `summary.csv` of a run.
    pub summary: Option<Table>,
    /// `regions.csv` of a run.
    pub regions: Option<Table>,
    /// `hourly.csv` of a run.
    pub hourly: Option<Table>,
    /// `intensity.csv` of a run.
    pub intensity: Option<Table>,
    /// `sweep.csv` of a sweep.
    pub sweep: Option<Table>,
}

const REGION_COLUMNS: [&str; 4] = ["policy", "dc", "carbon_kg", "water_l"];
const HOURLY_COLUMNS: [&str; 6] = ["policy", "hour_utc", "dc", "load_mw", "carbon_kg", "water_l"];
const INTENSITY_COLUMNS: [&str; 5] = [
    "hour_utc",
    "dc",
    "price_usd_per_mwh",
    "carbon_kg_per_kwh",
    "water_l_per_kwh",
];
const POINT_COLUMNS: [&str; 6] = [
    "policy",
    "cost_usd",
    "water_par",
    "carbon_par",
    "water_max_m3",
    "carbon_max_t",
];

/// Every file `dir/manifest.json` lists (if there is one) has the SHA-256 it records: files
/// edited, or copied in from another run, are refused. Files it lists that are missing are
/// skipped (a folder may be trimmed), and so are manifests of versions that listed none.
fn check_checksums(dir: &Path) -> Result<()> {
    let path = dir.join(crate::files::MANIFEST);
    let Ok(text) = std::fs::read(&path) else {
        return Ok(());
    };
    let manifest: serde_json::Value =
        serde_json::from_slice(&text).map_err(|e| Error::file(&path, format!("unreadable: {e}")))?;
    let Some(files) = manifest.get("files_sha256").and_then(|f| f.as_object()) else {
        return Ok(());
    };
    for (name, recorded) in files {
        let safe = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !safe || name.starts_with('.') {
            return Err(Error::file(
                &path,
                format!("lists `{name}`, which is not a file name"),
            ));
        }
        let Ok(bytes) = std::fs::read(dir.join(name)) else {
            continue;
        };
        if Some(crate::files::sha256_hex(&bytes).as_str()) != recorded.as_str() {
            return Err(Error::file(
                dir.join(name),
                "does not belong to this run: its SHA-256 differs from the one manifest.json records (edited, or copied from another run?)",
            ));
        }
    }
    Ok(())
}

/// `regions.csv` holds, for every policy and data center, the sums of `hourly.csv`'s carbon
/// and water (to 1e-9 relative): results edited by hand, or mixed from two runs, are refused,
/// naming the row that disagrees.
fn check_totals(regions: &Table, hourly: &Table) -> Result<()> {
    let mut sums: std::collections::HashMap<(&str, &str), [f64; 2]> = std::collections::HashMap::new();
    for row in 0..hourly.len() {
        let key = (hourly.text(row, "policy"), hourly.text(row, "dc"));
        let sum = sums.entry(key).or_default();
        sum[0] += hourly.number(row, "carbon_kg")?;
        sum[1] += hourly.number(row, "water_l")?;
    }
    for row in 0..regions.len() {
        let (policy, dc) = (regions.text(row, "policy"), regions.text(row, "dc"));
        let totals = [regions.number(row, "carbon_kg")?, regions.number(row, "water_l")?];
        let sum = sums.remove(&(policy, dc)).unwrap_or([f64::NAN; 2]);
        for ((column, total), hourly_sum) in ["carbon_kg", "water_l"].into_iter().zip(totals).zip(sum) {
            let agree = (total - hourly_sum).abs() <= 1e-9 * total.abs().max(1.0);
            if !agree {
                return Err(Error::Row {
                    path: regions.path.clone(),
                    line: regions.line(row),
                    msg: format!(
                        "policy `{policy}` dc `{dc}`: {column} = {total}, but {} sums to {hourly_sum}: these files are not of one run",
                        hourly.path.display()
                    ),
                });
            }
        }
    }
    match sums.keys().next() {
        Some((policy, dc)) => Err(Error::file(
            &hourly.path,
            format!("policy `{policy}` dc `{dc}` has hourly rows but no row in regions.csv"),
        )),
        None => Ok(()),
    }
}

impl Results {
    /// Reads the result CSVs of `dir`: a run's (`summary.csv` and `regions.csv`, optionally
    /// `hourly.csv` and `intensity.csv`) and/or a sweep's (`sweep.csv`).
    pub fn read(dir: &Path) -> Result<Results> {
        if !dir.is_dir() {
            return Err(Error::file(dir, "not a folder of results"));
        }
        let summary = Table::read_optional(dir, "summary.csv", &POINT_COLUMNS)?;
        let sweep_columns: Vec<&str> = POINT_COLUMNS.iter().copied().chain(["run"]).collect();
        let sweep = Table::read_optional(dir, "sweep.csv", &sweep_columns)?;
        if summary.is_none() && sweep.is_none() {
            return Err(Error::file(
                dir,
                "no summary.csv (from fairglb run) or sweep.csv (from fairglb sweep) here",
            ));
        }
        let regions = match summary {
            Some(_) => Some(Table::read(&dir.join("regions.csv"), &REGION_COLUMNS)?),
            None => None,
        };
        let hourly = Table::read_optional(dir, "hourly.csv", &HOURLY_COLUMNS)?;
        let intensity = Table::read_optional(dir, "intensity.csv", &INTENSITY_COLUMNS)?;
        if let (Some(regions), Some(hourly)) = (&regions, &hourly) {
            check_totals(regions, hourly)?;
        }
        check_checksums(dir)?;
        Ok(Results {
            summary,
            regions,
            hourly,
            intensity,
            sweep,
        })
    }

    /// Every figure these results support, as `options` chooses.
    pub fn figures(&self, options: &Options) -> Result<Vec<Figure>> {
        let mut figures = Vec::new();
        if let (Some(regions), Some(summary)) = (&self.regions, &self.summary) {
            figures.push(Figure::Regions(region_totals(regions)?));
            figures.push(Figure::ParVsCost(policy_points(
                summary,
                ["water_par", "carbon_par"],
                &[],
            )?));
        }
        if let Some(hourly) = &self.hourly {
            figures.extend(hourly_figures(hourly, options.load_policy.as_deref())?);
        }
        if let Some(intensity) = &self.intensity {
            figures.push(Figure::Intensity([
                hourly_series(intensity, None, "price_usd_per_mwh", 1.0, false)?,
                hourly_series(intensity, None, "carbon_kg_per_kwh", 1.0, false)?,
                hourly_series(intensity, None, "water_l_per_kwh", 1.0, false)?,
            ]));
        }
        if let Some(sweep) = &self.sweep {
            figures.extend(sweep_figures(sweep, options)?);
        }
        Ok(figures)
    }
}
