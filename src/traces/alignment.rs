//! Whether an hourly grid series is aligned in time, per calendar month (UTC), so that a shift
//! over part of a year shows. Pure functions of series; `build::quality` applies them to a
//! scenario's traces.
//!
//! - *solar*: the generation-weighted centroid of a balancing authority's solar output (each hour
//!   at its midpoint) against solar noon at a site's longitude (with the equation of time). A
//!   series labelled one hour early has its centroid about an hour before noon. The solar fleet
//!   can lie a few degrees of longitude from the site, so only an offset of at least
//!   [`SOLAR_TOLERANCE_H`] counts, as its nearest whole hour.
//! - *carbon*: the lag of best correlation between the hour-to-hour changes of two independent
//!   carbon series of one zone (the fuel mix's, from per-fuel factors, and the carbon trace's),
//!   over [`LAGS_H`]; lag `L` means the fuel mix agrees best with the carbon trace `L` hours later,
//!   so its hours look `L` hours early. A month whose best correlation is below
//!   [`MIN_CORRELATION`] is inconclusive.

use std::ops::Range;

use chrono::{DateTime, Datelike, Timelike, Utc};

/// The lags tried by the carbon alignment check, hours.
pub const LAGS_H: std::ops::RangeInclusive<i32> = -3..=3;
/// Below this best correlation, a month's carbon alignment is inconclusive.
pub const MIN_CORRELATION: f64 = 0.3;
/// The smallest solar-centroid offset, hours, reported as a shift.
pub const SOLAR_TOLERANCE_H: f64 = 0.6;

/// The hours of each calendar month (UTC) of `hours`: its label (`2022-03`) and index range.
pub fn months(hours: &[DateTime<Utc>]) -> Vec<(String, Range<usize>)> {
    let mut out: Vec<(String, Range<usize>)> = Vec::new();
    for (t, hour) in hours.iter().enumerate() {
        let label = format!("{:04}-{:02}", hour.year(), hour.month());
        match out.last_mut() {
            Some((last, range)) if *last == label => range.end = t + 1,
            _ => out.push((label, t..t + 1)),
        }
    }
    out
}

/// Solar noon, hours after 00:00 UTC, at longitude `lon_deg` (east positive) on day `day_of_year`,
/// from the equation of time's usual approximation (within about a minute).
pub fn solar_noon_utc_h(lon_deg: f64, day_of_year: u32) -> f64 {
    let b = 2.0 * std::f64::consts::PI * (day_of_year as f64 - 81.0) / 364.0;
    let equation_of_time_min = 9.87 * (2.0 * b).sin() - 7.53 * b.cos() - 1.5 * b.sin();
    12.0 - lon_deg / 15.0 - equation_of_time_min / 60.0
}

/// Per month of `hours`: solar noon at `lon_deg` minus the centroid of `solar_mw` (each hour at
/// its midpoint), hours; positive when the series is early. `None` for a month with under 24
/// hours of output.
pub fn solar_offsets_h(
    hours: &[DateTime<Utc>],
    solar_mw: &[f64],
    lon_deg: f64,
) -> Vec<(String, Option<f64>)> {
    let offset = |range: Range<usize>| {
        let lit = range.clone().filter(|&t| solar_mw[t] > 0.0);
        if lit.clone().count() < 24 {
            return None;
        }
        let (mut sin, mut cos, mut noon, mut total) = (0.0, 0.0, 0.0, 0.0);
        for t in lit {
            let w = solar_mw[t];
            let angle = (hours[t].hour() as f64 + 0.5) / 24.0 * std::f64::consts::TAU;
            sin += w * angle.sin();
            cos += w * angle.cos();
            noon += w * solar_noon_utc_h(lon_deg, hours[t].ordinal());
            total += w;
        }
        let centroid = sin.atan2(cos) / std::f64::consts::TAU * 24.0;
        Some((noon / total - centroid + 12.0).rem_euclid(24.0) - 12.0)
    };
    months(hours)
        .into_iter()
        .map(|(label, range)| (label, offset(range)))
        .collect()
}

/// The shift, whole hours, a solar offset means: its nearest hour if at least
/// [`SOLAR_TOLERANCE_H`] from 0, else 0.
pub fn solar_shift_h(offset_h: f64) -> i32 {
    if offset_h.abs() < SOLAR_TOLERANCE_H {
        0
    } else {
        offset_h.round() as i32
    }
}

/// The best lag of one month of the carbon check, and the correlations behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lag {
    /// Hours: `other` agrees best with `reference` this many hours later.
    pub lag_h: i32,
    /// The correlation at that lag.
    pub r: f64,
    /// The correlation at lag 0.
    pub r0: f64,
}

/// Per month of `hours`: the lag in [`LAGS_H`] at which the hour-to-hour changes of `other`
/// correlate best with those of `reference` (`reference[t] - reference[t-1]` against
/// `other[t-L] - other[t-L-1]`, pairs with a NaN left out); `None` when the best correlation is
/// below [`MIN_CORRELATION`].
pub fn best_lags(hours: &[DateTime<Utc>], reference: &[f64], other: &[f64]) -> Vec<(String, Option<Lag>)> {
    let n = reference.len().min(other.len()) as i64;
    let correlation_at = |range: &Range<usize>, lag: i32| {
        let pairs = range.clone().map(|t| t as i64).filter_map(|t| {
            let s = t - lag as i64;
            (t >= 1 && s >= 1 && t < n && s < n).then(|| {
                let (t, s) = (t as usize, s as usize);
                (reference[t] - reference[t - 1], other[s] - other[s - 1])
            })
        });
        let pairs = pairs.filter(|(a, b)| a.is_finite() && b.is_finite());
        correlation(pairs)
    };
    months(hours)
        .into_iter()
        .map(|(label, range)| {
            let r: Vec<(i32, f64)> = LAGS_H.map(|lag| (lag, correlation_at(&range, lag))).collect();
            let best = r
                .iter()
                .copied()
                .filter(|(_, r)| r.is_finite())
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let r0 = correlation_at(&range, 0);
            let lag = best
                .filter(|(_, r)| *r >= MIN_CORRELATION)
                .map(|(lag_h, r)| Lag { lag_h, r, r0 });
            (label, lag)
        })
        .collect()
}

/// Pearson's correlation of `pairs`; NaN for fewer than three or a constant side.
fn correlation(pairs: impl Iterator<Item = (f64, f64)>) -> f64 {
    let pairs: Vec<(f64, f64)> = pairs.collect();
    let n = pairs.len() as f64;
    if pairs.len() < 3 {
        return f64::NAN;
    }
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(x, y), (a, b)| (x + a / n, y + b / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// Consecutive months with the same nonzero shift: (first month, last month, shift).
pub fn shifted_spans(shifts: &[(String, i32)]) -> Vec<(String, String, i32)> {
    let mut spans: Vec<(String, String, i32)> = Vec::new();
    for (month, shift) in shifts.iter().filter(|(_, s)| *s != 0) {
        match spans.last_mut() {
            Some((_, last, s)) if s == shift && next_month(last) == *month => *last = month.clone(),
            _ => spans.push((month.clone(), month.clone(), *shift)),
        }
    }
    spans
}

/// The label of the month after `yyyy-mm`.
fn next_month(label: &str) -> String {
    let (year, month) = label.split_once('-').unwrap_or(("0", "0"));
    let (year, month): (u32, u32) = (year.parse().unwrap_or(0), month.parse().unwrap_or(0));
    if month == 12 {
        format!("{:04}-01", year + 1)
    } else {
        format!("{year:04}-{:02}", month + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn year() -> Vec<DateTime<Utc>> {
        let start = Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap();
        (0..8760).map(|i| start + Duration::hours(i)).collect()
    }

    /// Clear-sky-like solar output at longitude `lon`, labelled `shift_h` hours early.
    fn sun(hours: &[DateTime<Utc>], lon: f64, shift_h: i64) -> Vec<f64> {
        hours
            .iter()
            .map(|h| {
                let t = *h + Duration::hours(shift_h);
                let mid = t.hour() as f64 + 0.5;
                let from_noon = mid - solar_noon_utc_h(lon, t.ordinal());
                let from_noon = (from_noon + 12.0).rem_euclid(24.0) - 12.0;
                (1000.0 * (from_noon / 12.0 * std::f64::consts::PI).cos()).max(0.0)
            })
            .collect()
    }

    #[test]
    fn solar_offset_finds_a_one_hour_shift_and_nothing_on_time() {
        let hours = year();
        for (label, offset) in solar_offsets_h(&hours, &sun(&hours, -75.0, 0), -75.0) {
            let offset = offset.unwrap();
            assert!(offset.abs() < 0.05, "{label}: {offset}");
            assert_eq!(solar_shift_h(offset), 0);
        }
        for (label, offset) in solar_offsets_h(&hours, &sun(&hours, -75.0, 1), -75.0) {
            let offset = offset.unwrap();
            assert!((offset - 1.0).abs() < 0.05, "{label}: {offset}");
            assert_eq!(solar_shift_h(offset), 1);
        }
    }

    #[test]
    fn best_lag_finds_a_planted_shift_in_part_of_a_year() {
        let hours = year();
        let truth: Vec<f64> = (0..8760)
            .map(|t| 300.0 + 50.0 * ((t as f64) * 0.7).sin() + ((t * t) % 17) as f64)
            .collect();
        // Early by one hour before March, on time after.
        let other: Vec<f64> = (0..8760)
            .map(|t| {
                if t < 59 * 24 {
                    truth[(t + 1).min(8759)]
                } else {
                    truth[t]
                }
            })
            .collect();
        let lags = best_lags(&hours, &truth, &other);
        let shifts: Vec<(String, i32)> = lags.iter().map(|(m, l)| (m.clone(), l.unwrap().lag_h)).collect();
        assert_eq!(
            shifted_spans(&shifts),
            vec![("2022-01".to_string(), "2022-02".to_string(), 1)]
        );
        assert!(lags[5].1.unwrap().r > 0.99);
    }
}
