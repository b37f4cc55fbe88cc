//! The `fairglb traces check` tables: coverage and intensity statistics, the routing mask, the
//! derived physical series, the fuel mix's alignment in time and its anomalous hours.

use std::fmt::Write as _;

use crate::build::intensity::Site;
use crate::build::quality::Alignment;
use crate::model::{Problem, TraceAnomaly};
use crate::scenario::{AnomalyRepair, Scenario};

/// Mean, minimum and maximum of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stats {
    mean: f64,
    min: f64,
    max: f64,
}

impl Stats {
    /// The statistics of `values` (not empty).
    fn of(values: impl Iterator<Item = f64>) -> Stats {
        let (mut sum, mut n, mut min, mut max) = (0.0, 0usize, f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            sum += v;
            n += 1;
            min = min.min(v);
            max = max.max(v);
        }
        Stats {
            mean: sum / n.max(1) as f64,
            min,
            max,
        }
    }
}

/// Per data center: statistics of its hourly price (USD/MWh), carbon (kg/kWh) and water (L/kWh)
/// intensity over the horizon.
fn intensity_stats(problem: &Problem) -> Vec<[Stats; 3]> {
    (0..problem.fleet.dcs.len())
        .map(|d| {
            [
                &problem.price_usd_per_mwh,
                &problem.carbon_kg_per_kwh,
                &problem.water_l_per_kwh,
            ]
            .map(|series| Stats::of(series.iter().map(|hour| hour[d])))
        })
        .collect()
}

/// The `traces check` report: coverage, then per-data-center intensity statistics and demand.
pub fn traces_table(scenario: &Scenario, problem: &Problem) -> String {
    let (hours, fleet) = (problem.n_hours(), &problem.fleet);
    let mut out = format!(
        "{}: {} data centers, {} gateways, {hours} hours from {} to {} (hourly, gap-free), routing {}\n",
        scenario.name,
        fleet.dcs.len(),
        fleet.gateways.len(),
        problem.hours[0],
        problem.hours[hours - 1],
        fleet.routing.kind.name()
    );
    let _ = writeln!(
        out,
        "{:<14} {:>6}  {:>26}  {:>23}  {:>20}",
        "dc",
        "hours",
        "price USD/MWh mean (min-max)",
        "carbon kg/kWh mean (min-max)",
        "water L/kWh mean (min-max)"
    );
    for (d, [price, carbon, water]) in intensity_stats(problem).iter().enumerate() {
        let _ = writeln!(
            out,
            "{:<14} {:>6}  {:>8.2} ({:>7.2}-{:>7.2})  {:>7.3} ({:.3}-{:.3})  {:>7.2} ({:.2}-{:.2})",
            fleet.dcs[d],
            hours,
            price.mean,
            price.min,
            price.max,
            carbon.mean,
            carbon.min,
            carbon.max,
            water.mean,
            water.min,
            water.max
        );
    }
    let total = Stats::of(problem.demand_mw.iter().map(|h| h.iter().sum::<f64>()));
    let capacity: f64 = fleet.capacity_mw.iter().sum();
    let _ = writeln!(
        out,
        "demand: fleet total {:.3} MW mean ({:.3}-{:.3}) against {capacity:.3} MW of capacity (peak utilisation {:.1} %)",
        total.mean,
        total.min,
        total.max,
        100.0 * total.max / capacity
    );
    if problem.carbon_embodied_kg_per_kwh > 0.0 {
        let _ = writeln!(
            out,
            "carbon includes {:.4} kg/kWh of embodied (server manufacturing) carbon",
            problem.carbon_embodied_kg_per_kwh
        );
    }
    out
}

/// The `traces check` routing mask: each gateway and the data centers it may use (its nearest
/// marked `*`), with great-circle distances and round-trip times where known.
pub fn routing_table(scenario: &Scenario, fleet: &crate::model::Fleet) -> String {
    let km = scenario.pair_distances_km();
    let rtt = scenario.pair_rtt_ms.as_ref();
    let n_gateways = fleet.gateways.len();
    let mut out = format!(
        "routing {} (gateway -> data centers it may use; * nearest; round trips {}):\n",
        fleet.routing.kind.name(),
        if scenario.latency_matrix.is_some() {
            "measured"
        } else {
            "estimated from distance"
        }
    );
    for (g, gateway) in fleet.gateways.iter().enumerate() {
        let reachable: Vec<String> = (0..fleet.dcs.len())
            .filter(|&d| fleet.routing.allows(d, g))
            .map(|d| {
                let mark = if fleet.nearest_dc[g] == d { "*" } else { "" };
                let pair = d * n_gateways + g;
                let facts: Vec<String> = [
                    km.as_ref().map(|km| format!("{:.0} km", km[pair])),
                    rtt.map(|ms| format!("{:.0} ms", ms[pair])),
                ]
                .into_iter()
                .flatten()
                .collect();
                match facts.is_empty() {
                    true => format!("{}{mark}", fleet.dcs[d]),
                    false => format!("{}{mark} ({})", fleet.dcs[d], facts.join(", ")),
                }
            })
            .collect();
        let _ = writeln!(out, "  {gateway:<14} -> {}", reachable.join(", "));
    }
    out
}

/// The `traces check` report of a physical scenario: statistics of every derived series over
/// the first `hours` hours, then where each came from.
pub fn physics_table(sites: &[Site], hours: usize) -> String {
    let mut out = String::from("\nderived from the physical traces, mean (min-max) per data center:\n");
    let _ = writeln!(
        out,
        "{:<14} {:>21} {:>18} {:>18} {:>16} {:>21} {:>24}",
        "dc", "wet bulb C", "WUE L/kWh", "EWIF L/kWh", "PUE", "grid carbon kg/kWh", "price USD/MWh"
    );
    let stats = |v: &[f64]| Stats::of(v[..hours].iter().copied());
    for site in sites {
        let cell = |v: &[f64], digits: usize| {
            let s = stats(v);
            format!("{:.d$} ({:.d$}-{:.d$})", s.mean, s.min, s.max, d = digits)
        };
        let _ = writeln!(
            out,
            "{:<14} {:>21} {:>18} {:>18} {:>16} {:>21} {:>24}",
            site.dc,
            cell(&site.wet_bulb_c, 1),
            cell(&site.wue_l_per_kwh, 2),
            cell(&site.ewif_l_per_kwh, 2),
            cell(&site.pue, 2),
            cell(&site.grid_carbon_kg_per_kwh, 3),
            cell(&site.price_usd_per_mwh, 1),
        );
    }
    out.push_str("sources:\n");
    for site in sites {
        let _ = writeln!(out, "  {}: {}", site.dc, site.sources);
    }
    out
}

/// The fuel mix's alignment in time, month by month, and a warning for each span of months that
/// looks shifted (`fairglb traces check`).
pub fn alignment_table(file: &str, alignments: &[Alignment]) -> String {
    let months = alignments.iter().find_map(|a| {
        let months: Vec<&str> = match a.carbon.is_empty() {
            true => a.solar.iter().map(|(m, _)| m.as_str()).collect(),
            false => a.carbon.iter().map(|(m, _)| m.as_str()).collect(),
        };
        (!months.is_empty()).then_some(months)
    });
    let Some(months) = months else {
        return String::new();
    };
    let mut out = String::from(
        "\ntime alignment of the fuel mix, by month: solar noon minus the solar centroid, h, and the lag, h, at which\nits carbon agrees best with the carbon trace (positive: its hours look early; . inconclusive):\n",
    );
    let short = months.iter().map(|m| m.get(2..).unwrap_or(m).to_string());
    alignment_row(&mut out, "ba", "compared with", short);
    let mut warnings = Vec::new();
    for a in alignments {
        if !a.solar.is_empty() {
            let label = format!("solar noon at {:.2} E", a.lon.unwrap_or(f64::NAN));
            let cells = a.solar.iter().map(|(_, offset)| match offset {
                None => ".".to_string(),
                Some(o) if o.abs() < 0.05 => "0.0".to_string(),
                Some(o) => format!("{o:+.1}"),
            });
            alignment_row(&mut out, &a.ba, &label, cells);
        }
        if let Some(zone) = a.zone.as_deref().filter(|_| !a.carbon.is_empty()) {
            let cells = a.carbon.iter().map(|(_, lag)| match lag.map(|l| l.lag_h) {
                None => ".".to_string(),
                Some(0) => "0".to_string(),
                Some(lag) => format!("{lag:+}"),
            });
            alignment_row(&mut out, &a.ba, &format!("carbon of {zone}"), cells);
        }
        warnings.extend(a.warnings(file));
    }
    for w in &warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    if warnings.is_empty() {
        out.push_str("no shift found\n");
    }
    out
}

fn alignment_row(out: &mut String, ba: &str, label: &str, cells: impl Iterator<Item = String>) {
    let _ = write!(out, "{ba:<6} {label:<28}");
    for cell in cells {
        let _ = write!(out, " {cell:>5}");
    }
    out.push('\n');
}

/// The anomalous runs of hours in the horizon: a count and the first ten.
pub fn anomalies_table(anomalies: &[TraceAnomaly], repair: AnomalyRepair) -> String {
    let hours: usize = anomalies.iter().map(|a| a.hours).sum();
    let what = match repair {
        AnomalyRepair::Flag => "used as they are (physics.anomalies = \"flag\")",
        AnomalyRepair::Interpolate => "interpolated in time (physics.anomalies = \"interpolate\")",
    };
    let mut out = format!(
        "\nfuel-mix anomalies in the horizon: {} runs, {hours} hours, {what}\n",
        anomalies.len()
    );
    for a in anomalies.iter().take(10) {
        let _ = writeln!(
            out,
            "  {} {} {} to {} ({} h): {}",
            a.series, a.kind, a.first_hour_utc, a.last_hour_utc, a.hours, a.detail
        );
    }
    if anomalies.len() > 10 {
        let _ = writeln!(
            out,
            "  ... and {} more (all in the manifest)",
            anomalies.len() - 10
        );
    }
    out
}
