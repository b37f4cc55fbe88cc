//! `fairglb plot`: the standard figures, drawn with plotters from the CSVs in a results folder
//! (nothing else is read, so results copied from a cluster plot the same), as PNG and/or SVG.
//!
//! From a `fairglb run` folder: `regions`, `par_vs_cost`, `load_<policy>`, `intensity` and, when
//! both equity-aware policies ran, `online_vs_offline`. From a `fairglb sweep` folder: `tradeoff`.

mod bitmap;
mod chart;
mod figures;
mod style;
mod table;

use std::path::{Path, PathBuf};

use plotters::prelude::*;

pub use figures::{Figure, HourlySeries, PolicyPoints, RegionTotals};
pub use style::{dc_colour, thousands};
pub use table::Table;
use table::index_of;

use crate::error::{Error, Result};

/// Which image formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
}

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

    /// Every figure these results support. `load_policy` picks the policy of the hourly load
    /// figure (default: `eglb-offline` if it ran, else the first policy).
    pub fn figures(&self, load_policy: Option<&str>) -> Result<Vec<Figure>> {
        let mut figures = Vec::new();
        if let (Some(regions), Some(summary)) = (&self.regions, &self.summary) {
            figures.push(Figure::Regions(region_totals(regions)?));
            figures.push(Figure::ParVsCost(policy_points(
                summary,
                ["water_par", "carbon_par"],
            )?));
        }
        if let Some(hourly) = &self.hourly {
            let policies = hourly.distinct("policy");
            let policy = match load_policy {
                Some(p) if policies.iter().any(|q| q == p) => p.to_string(),
                Some(p) => {
                    return Err(Error::file(
                        &hourly.path,
                        format!(
                            "no policy `{p}` here (policies: {})",
                            crate::error::listed(&policies, ", ")
                        ),
                    ));
                }
                None if policies.iter().any(|q| q == "eglb-offline") => "eglb-offline".into(),
                None => policies[0].clone(),
            };
            let load_mw = hourly_series(hourly, Some(&policy), "load_mw", 1.0, false)?;
            figures.push(Figure::Load { policy, load_mw });
            if policies.iter().any(|p| p == "eglb-online") && policies.iter().any(|p| p == "eglb-offline") {
                let cumulative = |policy: &str| -> Result<[HourlySeries; 2]> {
                    Ok([
                        hourly_series(hourly, Some(policy), "water_l", 1e-3, true)?,
                        hourly_series(hourly, Some(policy), "carbon_kg", 1e-3, true)?,
                    ])
                };
                figures.push(Figure::OnlineVsOffline {
                    online: cumulative("eglb-online")?,
                    offline: cumulative("eglb-offline")?,
                });
            }
        }
        if let Some(intensity) = &self.intensity {
            figures.push(Figure::Intensity([
                hourly_series(intensity, None, "price_usd_per_mwh", 1.0, false)?,
                hourly_series(intensity, None, "carbon_kg_per_kwh", 1.0, false)?,
                hourly_series(intensity, None, "water_l_per_kwh", 1.0, false)?,
            ]));
        }
        if let Some(sweep) = &self.sweep {
            figures.push(Figure::Tradeoff(policy_points(
                sweep,
                ["water_max_m3", "carbon_max_t"],
            )?));
        }
        Ok(figures)
    }
}

/// Per-data-center totals from `regions.csv`, in m3 and t; every (policy, dc) must be present.
fn region_totals(t: &Table) -> Result<RegionTotals> {
    let (dcs, policies) = (t.distinct("dc"), t.distinct("policy"));
    let mut water_m3 = vec![vec![f64::NAN; dcs.len()]; policies.len()];
    let mut carbon_t = water_m3.clone();
    let (policy_index, dc_index) = (index_of(&policies), index_of(&dcs));
    for row in 0..t.len() {
        let (p, d) = (policy_index[t.text(row, "policy")], dc_index[t.text(row, "dc")]);
        water_m3[p][d] = t.number(row, "water_l")? / 1000.0;
        carbon_t[p][d] = t.number(row, "carbon_kg")? / 1000.0;
    }
    if water_m3.iter().flatten().any(|v| v.is_nan()) {
        return Err(Error::file(&t.path, "every policy needs one row per data center"));
    }
    Ok(RegionTotals {
        dcs,
        policies,
        water_m3,
        carbon_t,
    })
}

/// `(cost in thousand USD, columns[0], columns[1])` per row, grouped by policy.
fn policy_points(t: &Table, columns: [&str; 2]) -> Result<Vec<PolicyPoints>> {
    let mut out: Vec<PolicyPoints> = Vec::new();
    for row in 0..t.len() {
        let point = (
            t.number(row, "cost_usd")? / 1000.0,
            t.number(row, columns[0])?,
            t.number(row, columns[1])?,
        );
        let policy = t.text(row, "policy");
        match out.iter_mut().find(|p| p.policy == policy) {
            Some(p) => p.points.push(point),
            None => out.push(PolicyPoints {
                policy: policy.to_string(),
                points: vec![point],
            }),
        }
    }
    Ok(out)
}

/// `column x scale` per data center and hour (of `policy`'s rows, if given), optionally cumulative.
fn hourly_series(
    t: &Table,
    policy: Option<&str>,
    column: &str,
    scale: f64,
    cumulative: bool,
) -> Result<HourlySeries> {
    let rows: Vec<usize> = (0..t.len())
        .filter(|&r| policy.is_none_or(|p| t.text(r, "policy") == p))
        .collect();
    let dcs = t.distinct_in(rows.iter().copied(), "dc");
    let hours = t.distinct_in(rows.iter().copied(), "hour_utc");
    let (dc_index, hour_index) = (index_of(&dcs), index_of(&hours));
    let mut values = vec![vec![f64::NAN; hours.len()]; dcs.len()];
    for &r in &rows {
        values[dc_index[t.text(r, "dc")]][hour_index[t.text(r, "hour_utc")]] = t.number(r, column)? * scale;
    }
    if values.iter().flatten().any(|v| v.is_nan()) {
        return Err(Error::file(
            &t.path,
            format!("`{column}` needs one row per data center and hour"),
        ));
    }
    if cumulative {
        for series in &mut values {
            let mut sum = 0.0;
            series.iter_mut().for_each(|v| {
                sum += *v;
                *v = sum;
            });
        }
    }
    let first_hour = hours.first().cloned().unwrap_or_default();
    Ok(HourlySeries {
        dcs,
        first_hour,
        values,
    })
}

/// The figure as an SVG document.
pub fn render_svg(figure: &Figure) -> Result<String> {
    style::register_fonts();
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, figure.size()).into_drawing_area();
        figure.draw(&area).map_err(|e| Error::Render {
            what: format!("figure {}.svg", figure.name()),
            msg: e.to_string(),
        })?;
    }
    Ok(svg)
}

/// Writes the figure as a PNG to `path`, whole or not at all; an error names the figure, not
/// the temporary file.
pub fn render_png(figure: &Figure, path: &Path) -> Result<()> {
    style::register_fonts();
    let failed = |msg: String| Error::Render {
        what: format!("figure {}.png", figure.name()),
        msg,
    };
    let tmp = crate::files::temp_beside(path, ".png")?;
    {
        let area = bitmap::SegmentedBitmap(BitMapBackend::new(&tmp, figure.size())).into_drawing_area();
        figure.draw(&area).map_err(|e| failed(e.to_string()))?;
    }
    crate::files::persist(tmp, path)
}

/// `fairglb plot`: draws every figure `dir`'s results support into the folder `out` (default
/// `dir/figures`), published whole: an older figures folder there is replaced, a folder holding
/// anything fairglb did not draw there refused. Returns the files written.
pub fn plot(
    dir: &Path,
    out: Option<&Path>,
    format: Format,
    load_policy: Option<&str>,
) -> Result<Vec<PathBuf>> {
    let figures = Results::read(dir)?.figures(load_policy)?;
    let out = out.map_or_else(|| dir.join("figures"), Path::to_path_buf);
    let staging = crate::files::Staging::new(&out)?;
    let mut written = Vec::new();
    for figure in &figures {
        if format != Format::Svg {
            let name = format!("{}.png", figure.name());
            render_png(figure, &staging.path().join(&name)).map_err(|e| staging.blame(e))?;
            written.push(out.join(name));
        }
        if format != Format::Png {
            let name = format!("{}.svg", figure.name());
            staging.write(&name, render_svg(figure)?.as_bytes())?;
            written.push(out.join(name));
        }
    }
    staging.publish(|_, _| false)?;
    Ok(written)
}
