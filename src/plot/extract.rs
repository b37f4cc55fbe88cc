//! From result tables to the data of each figure: per-region totals, policy points, hourly
//! series, and a sweep's axes and metric lines.

use super::Options;
use super::chart;
use super::figures::{self, Facet, Figure, HourlySeries, Line, MetricLines, PolicyPoints, RegionTotals};
use super::table::{Table, index_of};
use crate::error::{Error, Result};

/// The most policies a run's figures draw (a row of panels each).
pub const MAX_POLICIES: usize = 40;
/// The most data centers a run's figures draw (a bar each).
pub const MAX_DCS: usize = 500;

/// The load figure of `load_policy` (default: `eglb-offline` if it ran, else the first policy)
/// and, when both equity-aware policies ran, their running totals.
pub fn hourly_figures(hourly: &Table, load_policy: Option<&str>) -> Result<Vec<Figure>> {
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
    let mut figures = vec![Figure::Load { policy, load_mw }];
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
    Ok(figures)
}

/// The axes of a sweep: `sweep.csv`'s columns between `run` and `policy`.
fn sweep_axes(sweep: &Table) -> Vec<String> {
    let headers = sweep.headers();
    let run = headers.iter().position(|h| h == "run").unwrap_or(0);
    let policy = headers
        .iter()
        .position(|h| h == "policy")
        .unwrap_or(headers.len());
    headers.get(run + 1..policy).unwrap_or_default().to_vec()
}

/// A sweep's figures: `tradeoff` when it varies an equity weight; the metric figure against
/// `options.x` (default: the first other axis with numbers for values; none if there is none)
/// for each of `options.y`.
pub fn sweep_figures(sweep: &Table, options: &Options) -> Result<Vec<Figure>> {
    let axes = sweep_axes(sweep);
    let mut figures = Vec::new();
    if axes.iter().any(|a| a.starts_with("equity.")) {
        figures.push(Figure::Tradeoff {
            points: policy_points(sweep, ["water_max_m3", "carbon_max_t"], &axes)?,
            axes: axes.clone(),
        });
    }
    let numeric = |axis: &str| (0..sweep.len()).all(|row| sweep.number(row, axis).is_ok());
    let x = match &options.x {
        Some(x) => Some(x.clone()),
        None => axes
            .iter()
            .find(|a| !a.starts_with("equity.") && numeric(a))
            .cloned(),
    };
    let Some(x) = x else {
        return Ok(figures);
    };
    let default_y = ["gap_to_offline", "water_par", "carbon_par"].map(String::from);
    let ys = if options.y.is_empty() {
        &default_y[..]
    } else {
        &options.y[..]
    };
    for y in ys {
        figures.push(Figure::Metric(metric_lines(sweep, &axes, &x, y)?));
    }
    Ok(figures)
}

/// `y` against the axis `x`, a line per policy, a facet per combination of the other axes.
fn metric_lines(sweep: &Table, axes: &[String], x: &str, y: &str) -> Result<MetricLines> {
    if !axes.iter().any(|a| a == x) {
        let msg = format!("no sweep axis `{x}` (axes: {})", crate::error::listed(axes, ", "));
        return Err(Error::file(&sweep.path, msg));
    }
    if !sweep.headers().iter().any(|h| h == y) || axes.iter().any(|a| a == y) {
        let msg = format!(
            "no result column `{y}` (columns: {})",
            crate::error::listed(sweep.headers(), ", ")
        );
        return Err(Error::file(&sweep.path, msg));
    }
    let owners: Vec<Option<&str>> = axes.iter().map(|a| policy_of_axis(a)).collect();
    let mut facets: Vec<Facet> = Vec::new();
    let mut xs = Vec::new();
    for row in 0..sweep.len() {
        let policy = sweep.text(row, "policy");
        let cell = |a: &String| format!("{} = {}", axis_label(a), sweep.text(row, a));
        // Axes of one policy's parameters split that policy's line; other policies ignore them.
        let (mut title, mut own) = (Vec::new(), Vec::new());
        for (a, owner) in axes.iter().zip(&owners).filter(|(a, _)| *a != x) {
            match owner {
                None => title.push(cell(a)),
                Some(p) if *p == policy => {
                    own.push(format!("{}={}", last_part(a), short_number(sweep.text(row, a))))
                }
                Some(_) => {}
            }
        }
        let title = title.join(", ");
        let point = (sweep.number(row, x)?, sweep.number(row, y)?);
        xs.push(point.0);
        let at = match facets.iter().position(|f| f.title == title) {
            Some(at) => at,
            None => {
                facets.push(Facet {
                    title,
                    lines: Vec::new(),
                });
                facets.len() - 1
            }
        };
        let label = std::iter::once(policy.to_string())
            .chain(own)
            .collect::<Vec<_>>()
            .join(" ");
        match facets[at].lines.iter_mut().find(|l| l.label == label) {
            Some(line) if line.points.iter().any(|p| p.0 == point.0) => {}
            Some(line) => line.points.push(point),
            None => facets[at].lines.push(Line {
                policy: policy.to_string(),
                label,
                points: vec![point],
            }),
        }
    }
    if facets.len() > figures::MAX_FACETS {
        let msg = format!(
            "`{y}` against `{x}` would need {} panels (one per value of the other axes), more than {}: sweep fewer values, or plot a sweep of fewer axes",
            facets.len(),
            figures::MAX_FACETS
        );
        return Err(Error::file(&sweep.path, msg));
    }
    for line in facets.iter_mut().flat_map(|f| &mut f.lines) {
        line.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let (lo, hi) = xs
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(l, h), &v| (l.min(v), h.max(v)));
    Ok(MetricLines {
        x_key: axis_label(x),
        y_column: y.to_string(),
        log_x: lo > 0.0 && hi / lo >= 50.0,
        facets,
    })
}

/// The policy whose parameters every key of `axis` sets (`policy.<name>.*`, or `online.*` for
/// `eglb-online`), if there is one.
fn policy_of_axis(axis: &str) -> Option<&str> {
    let mut owners = axis.split('+').map(crate::policy::table_of);
    let first = owners.next()??;
    owners.all(|o| o == Some(first)).then_some(first)
}

/// A whole number without its `.0` (`300` for `300.0`); any other text as it is.
fn short_number(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        _ => text.to_string(),
    }
}

/// The last part of a dotted key (`v` of `policy.drift-plus-penalty.v`).
fn last_part(key: &str) -> String {
    key.rsplit('.').next().unwrap_or(key).to_string()
}

/// An axis as labelled: its key, or for keys linked by `+` that end alike, that ending
/// (`window` for `policy.rhc.window+policy.afhc.window`).
pub fn axis_label(axis: &str) -> String {
    let mut endings = axis.split('+').map(last_part);
    match (endings.next(), axis.contains('+')) {
        (Some(first), true) if endings.all(|e| e == first) => first,
        _ => axis.to_string(),
    }
}

/// Per-data-center totals from `regions.csv`, in m3 and t; every (policy, dc) must be present.
pub fn region_totals(t: &Table) -> Result<RegionTotals> {
    let (dcs, policies) = (t.distinct("dc"), t.distinct("policy"));
    if policies.len() > MAX_POLICIES || dcs.len() > MAX_DCS {
        let msg = format!(
            "{} policies and {} data centers: the regions figure draws at most {MAX_POLICIES} and {MAX_DCS}",
            policies.len(),
            dcs.len()
        );
        return Err(Error::file(&t.path, msg));
    }
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

/// `(cost in thousand USD, columns[0], columns[1])` per row, grouped by policy, each labelled
/// with its values of `axes`.
pub fn policy_points(t: &Table, columns: [&str; 2], axes: &[String]) -> Result<Vec<PolicyPoints>> {
    let mut out: Vec<PolicyPoints> = Vec::new();
    for row in 0..t.len() {
        let point = (
            t.number(row, "cost_usd")? / 1000.0,
            t.number(row, columns[0])?,
            t.number(row, columns[1])?,
        );
        let value = |a: &String| {
            let text = t.text(row, a);
            text.parse::<f64>()
                .map_or_else(|_| text.to_string(), chart::compact)
        };
        let label = axes.iter().map(value).collect::<Vec<_>>().join(", ");
        let policy = t.text(row, "policy");
        match out.iter_mut().find(|p| p.policy == policy) {
            Some(p) => {
                p.points.push(point);
                p.labels.push(label);
            }
            None => out.push(PolicyPoints {
                policy: policy.to_string(),
                points: vec![point],
                labels: vec![label],
            }),
        }
    }
    if out.len() > MAX_POLICIES {
        let msg = format!("{} policies: figures draw at most {MAX_POLICIES}", out.len());
        return Err(Error::file(&t.path, msg));
    }
    Ok(out)
}

/// `column x scale` per data center and hour (of `policy`'s rows, if given), optionally cumulative.
pub fn hourly_series(
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
