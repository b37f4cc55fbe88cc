//! Hours of a fuel mix that look like reporting faults (each a run of consecutive hours), and
//! their repair by interpolation in time. Pure functions of series; `traces::physical` finds them
//! when it reads a fuel mix, `build::quality` reports them.
//!
//! - *low total*: total generation below [`LOW_TOTAL_FRACTION`] of its rolling median over
//!   [`MEDIAN_WINDOW_HOURS`] hours centred on the hour;
//! - *fuel swap*: a fuel other than solar (which is zero every night) at zero for at least
//!   [`MIN_SWAP_HOURS`] hours, having supplied at least [`MIN_SWAP_SHARE`] of the generation in
//!   the week before (else the week after), while another fuel rises by at least
//!   [`MIN_RISE_FRACTION`] of what disappeared: a relabelling, not an outage.
//!
//! [`interpolate`] repairs an anomaly linearly in time between the hours on either side of its
//! run: every fuel for a low total, the two fuels for a swap; other hours are left untouched.

use std::ops::Range;

/// An hour whose total generation is below this fraction of its rolling median is anomalous.
pub const LOW_TOTAL_FRACTION: f64 = 0.5;
/// The rolling median's window, hours, centred (a week either side of the hour would be 337).
pub const MEDIAN_WINDOW_HOURS: usize = 169;
/// The shortest run of a fuel at zero that can be a swap, hours.
pub const MIN_SWAP_HOURS: usize = 6;
/// A swapped fuel supplied at least this share of the generation before its run.
pub const MIN_SWAP_SHARE: f64 = 0.1;
/// Another fuel rises by at least this fraction of the swapped fuel's output.
pub const MIN_RISE_FRACTION: f64 = 0.5;
/// The baseline of a swap: this many hours before its run (or after it, at the series' start).
const BASELINE_HOURS: usize = 168;

/// What kind of fault an anomaly looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnomalyKind {
    /// Total generation far below its rolling median.
    LowTotal,
    /// One fuel at zero while another takes its place.
    FuelSwap,
}

impl AnomalyKind {
    /// Its name in the manifest and in `fairglb traces check`.
    pub fn name(self) -> &'static str {
        match self {
            AnomalyKind::LowTotal => "low-total",
            AnomalyKind::FuelSwap => "fuel-swap",
        }
    }
}

/// A run of anomalous hours of one balancing authority's fuel mix.
#[derive(Debug, Clone, PartialEq)]
pub struct Anomaly {
    /// Its kind.
    pub kind: AnomalyKind,
    /// Its hours, indices into the series.
    pub hours: Range<usize>,
    /// The fuels (indices into the mix) an interpolation repairs.
    pub fuels: Vec<usize>,
    /// What was seen, in words.
    pub detail: String,
}

/// The anomalies of one fuel mix, `generation_mw[fuel][hour]` (fuels named by `fuel_names`, the
/// one called `solar_mw` exempt from swaps), in time order.
pub fn anomalies(generation_mw: &[&[f64]], fuel_names: &[&str]) -> Vec<Anomaly> {
    let n = generation_mw.first().map_or(0, |g| g.len());
    let total: Vec<f64> = (0..n)
        .map(|t| generation_mw.iter().map(|g| g[t].max(0.0)).sum())
        .collect();
    let median = rolling_median(&total, MEDIAN_WINDOW_HOURS);
    let low: Vec<bool> = (0..n)
        .map(|t| total[t] < LOW_TOTAL_FRACTION * median[t])
        .collect();
    let mut found: Vec<Anomaly> = runs(&low, 1)
        .into_iter()
        .map(|run| {
            let worst = run
                .clone()
                .map(|t| total[t] / median[t])
                .fold(f64::INFINITY, f64::min);
            Anomaly {
                kind: AnomalyKind::LowTotal,
                detail: format!(
                    "total generation {:.0} MW against a rolling median of {:.0} MW (as low as {:.1} %)",
                    total[run.start],
                    median[run.start],
                    100.0 * worst
                ),
                hours: run,
                fuels: (0..generation_mw.len()).collect(),
            }
        })
        .collect();
    for (f, series) in generation_mw.iter().enumerate() {
        if fuel_names[f] == "solar_mw" {
            continue;
        }
        let zero: Vec<bool> = (0..n).map(|t| series[t] <= 0.0 && !low[t]).collect();
        for run in runs(&zero, MIN_SWAP_HOURS) {
            found.extend(swap(generation_mw, fuel_names, &total, f, run));
        }
    }
    found.sort_by_key(|a| (a.hours.start, a.kind as u8));
    found
}

/// The swap of fuel `f` over `run`, if another fuel rose to take its place.
fn swap(
    generation_mw: &[&[f64]],
    fuel_names: &[&str],
    total: &[f64],
    f: usize,
    run: Range<usize>,
) -> Option<Anomaly> {
    let n = total.len();
    let baseline = if run.start >= BASELINE_HOURS {
        run.start - BASELINE_HOURS..run.start
    } else {
        run.end..(run.end + BASELINE_HOURS).min(n)
    };
    if baseline.is_empty() {
        return None;
    }
    let mean = |s: &[f64], r: &Range<usize>| s[r.clone()].iter().sum::<f64>() / r.len() as f64;
    let before = mean(generation_mw[f], &baseline);
    if before < MIN_SWAP_SHARE * mean(total, &baseline) {
        return None;
    }
    let (g, rise) = (0..generation_mw.len())
        .filter(|&g| g != f)
        .map(|g| {
            (
                g,
                mean(generation_mw[g], &run) - mean(generation_mw[g], &baseline),
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    (rise >= MIN_RISE_FRACTION * before).then(|| Anomaly {
        kind: AnomalyKind::FuelSwap,
        detail: format!(
            "{} at 0 (about {before:.0} MW before) while {} rose by {rise:.0} MW",
            fuel_names[f], fuel_names[g]
        ),
        hours: run,
        fuels: vec![f, g],
    })
}

/// The runs of `true` at least `min_len` long.
fn runs(flags: &[bool], min_len: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (t, &flag) in flags.iter().chain([&false]).enumerate() {
        match (flag, start) {
            (true, None) => start = Some(t),
            (false, Some(s)) => {
                if t - s >= min_len {
                    out.push(s..t);
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The median of each value's centred window of `window` values (shorter at the ends).
fn rolling_median(values: &[f64], window: usize) -> Vec<f64> {
    let half = window / 2;
    let mut scratch = Vec::with_capacity(window);
    (0..values.len())
        .map(|t| {
            scratch.clear();
            scratch.extend_from_slice(&values[t.saturating_sub(half)..(t + half + 1).min(values.len())]);
            let mid = scratch.len() / 2;
            *scratch.select_nth_unstable_by(mid, f64::total_cmp).1
        })
        .collect()
}

/// Repairs `anomalies` of `generation_mw[fuel][hour]`: each anomaly's fuels, over its hours,
/// linearly between the hours just before and just after (the nearer one alone at either end of
/// the series). Other values are left as they are.
pub fn interpolate(generation_mw: &mut [Vec<f64>], anomalies: &[Anomaly]) {
    for anomaly in anomalies {
        let Range { start, end } = anomaly.hours;
        for &f in &anomaly.fuels {
            let series = &mut generation_mw[f];
            let before = start.checked_sub(1).map(|t| series[t]);
            let after = series.get(end).copied();
            let (a, b) = match (before, after) {
                (Some(a), Some(b)) => (a, b),
                (Some(a), None) => (a, a),
                (None, Some(b)) => (b, b),
                (None, None) => continue,
            };
            let span = (end - start + 1) as f64;
            for (i, value) in series[start..end].iter_mut().enumerate() {
                *value = a + (b - a) * (i + 1) as f64 / span;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anomalies_and_their_repair() {
        let n = 1000;
        let mut coal: Vec<f64> = (0..n).map(|t| 500.0 + (t % 24) as f64).collect();
        let mut nuclear = vec![300.0; n];
        let mut other = vec![20.0; n];
        let solar: Vec<f64> = (0..n).map(|t| if t % 24 < 12 { 0.0 } else { 50.0 }).collect();
        // A swap: nuclear reported as other for hours 400..450; a collapse at 700..702.
        for t in 400..450 {
            nuclear[t] = 0.0;
            other[t] = 320.0;
        }
        for t in 700..702 {
            coal[t] = 1.0;
            nuclear[t] = 0.0;
            other[t] = 0.0;
        }
        let names = ["coal_mw", "nuclear_mw", "other_mw", "solar_mw"];
        let found = anomalies(&[&coal, &nuclear, &other, &solar], &names);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            (found[0].kind, found[0].hours.clone()),
            (AnomalyKind::FuelSwap, 400..450)
        );
        assert_eq!(found[0].fuels, vec![1, 2]);
        assert_eq!(
            (found[1].kind, found[1].hours.clone()),
            (AnomalyKind::LowTotal, 700..702)
        );
        let original = vec![coal, nuclear, other, solar];
        let mut repaired = original.clone();
        interpolate(&mut repaired, &found);
        for t in 0..n {
            for f in 0..4 {
                let touched = found.iter().any(|a| a.hours.contains(&t) && a.fuels.contains(&f));
                if !touched {
                    assert_eq!(repaired[f][t], original[f][t], "fuel {f} hour {t}");
                }
            }
        }
        assert_eq!(repaired[1][420], 300.0);
        assert_eq!(repaired[2][420], 20.0);
        assert!(
            (repaired[0][700] - (original[0][699] + (original[0][702] - original[0][699]) / 3.0)).abs()
                < 1e-9
        );
    }
}
