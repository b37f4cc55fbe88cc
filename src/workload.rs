//! Synthetic hourly demand for long horizons, calibrated from real traces: pure functions of a
//! trace and a seed (`build::demand` applies them per gateway).
//!
//! Demand in hour t at a gateway = `mean_mw x min(diurnal[local hour] x weekly[local weekday] x
//! noise_t, max_to_mean)`, local time at a fixed UTC offset or in an IANA time zone (with its
//! daylight saving, [`LocalClock`]), with mean-1 diurnal and weekly profiles, lognormal noise of
//! mean 1 with memory from hour to hour (AR(1) in its logarithm) and a cap at the trace's
//! peak-to-mean, all calibrated from an hourly trace (the BLOOM
//! inference power trace the paper used) and drawn from a seeded ChaCha generator, so a seed
//! reproduces the series on any machine (for a given version of the
//! `rand_distr` crate, whose sampling algorithms may change between versions). Minute-scale
//! burstiness comes from the Azure LLM request counts ([`burstiness`]): it sizes headroom within
//! an hour and is not part of the hourly series.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use chrono_tz::Tz;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// UTC offset, hours, of the BLOOM trace: Google Cloud us-central1 (Iowa) on daylight time
/// in September and October 2022.
pub const BLOOM_UTC_OFFSET_H: i64 = -5;

/// A gateway's local time: a fixed offset from UTC, or an IANA time zone, whose offset follows
/// daylight saving (and any other change in its history).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LocalClock {
    /// Hours east of UTC, all year.
    Fixed(i64),
    /// A time zone of the IANA database, e.g. `America/New_York`.
    Zone(Tz),
}

impl LocalClock {
    /// The local hour of day (0-23) and weekday (Monday = 0) of the UTC instant `utc`.
    pub fn hour_and_weekday(&self, utc: DateTime<Utc>) -> (usize, usize) {
        match self {
            LocalClock::Fixed(offset_h) => hour_and_weekday(utc + Duration::hours(*offset_h)),
            LocalClock::Zone(tz) => hour_and_weekday(utc.with_timezone(tz)),
        }
    }
}

fn hour_and_weekday(local: impl Timelike + Datelike) -> (usize, usize) {
    (
        local.hour() as usize,
        local.weekday().num_days_from_monday() as usize,
    )
}

/// The shape of demand over the day and week, and its hour-to-hour variability.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandShape {
    /// Multipliers by local hour of day (0-23), mean 1.
    pub diurnal: [f64; 24],
    /// Multipliers by local day of week (Monday first), mean 1.
    pub weekly: [f64; 7],
    /// Coefficient of variation of the hourly noise (lognormal, mean 1).
    pub noise_cv: f64,
    /// Lag-1 autocorrelation of the hourly noise: how much of one hour's surprise carries into
    /// the next (0: independent hours).
    pub noise_lag1: f64,
    /// Demand never exceeds this multiple of its mean: the trace's own peak-to-mean (BLOOM's
    /// GPU power is capped by the hardware at 2,708 W).
    pub max_to_mean: f64,
}

impl DemandShape {
    /// Calibrates from an hourly trace recorded at UTC offset `utc_offset_h`: the profiles are
    /// the mean by local hour and by local weekday over the overall mean (the weekday means of the
    /// trace with its diurnal profile divided out), the noise is the trace over both profiles: its
    /// coefficient of variation and its lag-1 autocorrelation (the trace's hours are consecutive). Fails if the trace's mean is zero or some local hour of day
    /// or weekday it covers has no demand at all (the shape would be undefined there).
    pub fn calibrate(
        hours: &[DateTime<Utc>],
        values: &[f64],
        utc_offset_h: i64,
    ) -> Result<DemandShape, String> {
        let local: Vec<DateTime<Utc>> = hours.iter().map(|h| *h + Duration::hours(utc_offset_h)).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let diurnal = profile::<24>(&local, values, |t| t.hour() as usize, mean);
        let deseasoned: Vec<f64> = local
            .iter()
            .zip(values)
            .map(|(t, v)| v / diurnal[t.hour() as usize])
            .collect();
        let weekly = profile::<7>(
            &local,
            &deseasoned,
            |t| t.weekday().num_days_from_monday() as usize,
            mean,
        );
        let residual: Vec<f64> = local
            .iter()
            .zip(values)
            .map(|(t, v)| {
                v / (mean * diurnal[t.hour() as usize] * weekly[t.weekday().num_days_from_monday() as usize])
            })
            .collect();
        let n = residual.len() as f64;
        let residual_mean = residual.iter().sum::<f64>() / n;
        let variance = residual.iter().map(|r| (r - residual_mean).powi(2)).sum::<f64>() / n;
        let max_to_mean = values.iter().cloned().fold(0.0, f64::max) / mean;
        let shape = DemandShape {
            diurnal,
            weekly,
            noise_cv: variance.sqrt() / residual_mean,
            noise_lag1: lag1_autocorrelation(&residual).clamp(-0.99, 0.99),
            max_to_mean,
        };
        let defined = shape
            .diurnal
            .iter()
            .chain(&shape.weekly)
            .all(|v| v.is_finite() && *v > 0.0)
            && shape.noise_cv.is_finite()
            && shape.noise_lag1.is_finite()
            && shape.max_to_mean.is_finite();
        if !(mean > 0.0 && defined) {
            return Err(
                "cannot calibrate a demand shape: the trace's mean is zero, or some local hour of day or weekday has no demand at all".into(),
            );
        }
        Ok(shape)
    }

    /// Hourly demand, MW, for `hours` hours from `start` at a gateway whose users live by
    /// `clock`, with mean about `mean_mw`; the same `seed` gives the same series.
    ///
    /// The noise is lognormal with mean 1 and the calibrated CV, `exp(s x_t - s²/2)`, where `x` is
    /// a stationary Gaussian AR(1) series, `x_t = phi x_(t-1) + sqrt(1 - phi²) e_t` (`e` standard
    /// normal, `x_0 = e_0`). `phi` is chosen so that the noise itself has the calibrated lag-1
    /// autocorrelation `rho`: `phi = ln(1 + rho (exp(s²) - 1)) / s²`.
    pub fn generate(
        &self,
        start: DateTime<Utc>,
        hours: usize,
        clock: LocalClock,
        mean_mw: f64,
        seed: u64,
    ) -> Vec<f64> {
        let s2 = (1.0 + self.noise_cv * self.noise_cv).ln();
        let (s, phi) = (s2.sqrt(), self.log_lag1(s2));
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut x: f64 = 0.0;
        (0..hours)
            .map(|i| {
                let e: f64 = StandardNormal.sample(&mut rng);
                x = if i == 0 {
                    e
                } else {
                    phi * x + (1.0 - phi * phi).sqrt() * e
                };
                let (hour, weekday) = clock.hour_and_weekday(start + Duration::hours(i as i64));
                let shape = self.diurnal[hour] * self.weekly[weekday];
                mean_mw * (shape * (s * x - s2 / 2.0).exp()).min(self.max_to_mean)
            })
            .collect()
    }

    /// The AR(1) coefficient of the log noise (variance `s2`) that gives the noise a lag-1
    /// autocorrelation of `noise_lag1`.
    fn log_lag1(&self, s2: f64) -> f64 {
        if s2 <= 0.0 {
            return 0.0;
        }
        ((1.0 + self.noise_lag1 * s2.exp_m1()).max(1e-12).ln() / s2).clamp(-0.99, 0.99)
    }
}

/// The lag-1 autocorrelation of a series (0 for a constant one).
pub fn lag1_autocorrelation(v: &[f64]) -> f64 {
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    let variance: f64 = v.iter().map(|x| (x - mean).powi(2)).sum();
    let covariance: f64 = v.windows(2).map(|w| (w[0] - mean) * (w[1] - mean)).sum();
    if variance > 0.0 {
        covariance / variance
    } else {
        0.0
    }
}

/// Mean of `values` by `slot` over `mean`; slots the trace never visits get 1.
fn profile<const N: usize>(
    local: &[DateTime<Utc>],
    values: &[f64],
    slot: impl Fn(&DateTime<Utc>) -> usize,
    mean: f64,
) -> [f64; N] {
    let (mut sum, mut count) = ([0.0; N], [0usize; N]);
    for (t, v) in local.iter().zip(values) {
        sum[slot(t)] += v;
        count[slot(t)] += 1;
    }
    let mut out = [1.0; N];
    for s in 0..N {
        if count[s] > 0 && mean > 0.0 {
            out[s] = sum[s] / count[s] as f64 / mean;
        }
    }
    let visited: Vec<f64> = (0..N).filter(|&s| count[s] > 0).map(|s| out[s]).collect();
    let norm = visited.iter().sum::<f64>() / visited.len().max(1) as f64;
    out.map(|v| v / norm)
}

/// Minute-scale burstiness of request arrivals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burstiness {
    /// Coefficient of variation of requests per minute.
    pub cv: f64,
    /// Busiest minute over the mean minute.
    pub peak_to_mean: f64,
}

/// The burstiness of per-minute request counts.
pub fn burstiness(requests_per_minute: &[f64]) -> Burstiness {
    let n = requests_per_minute.len() as f64;
    let mean = requests_per_minute.iter().sum::<f64>() / n;
    let variance = requests_per_minute
        .iter()
        .map(|r| (r - mean).powi(2))
        .sum::<f64>()
        / n;
    let peak = requests_per_minute.iter().cloned().fold(0.0, f64::max);
    Burstiness {
        cv: variance.sqrt() / mean,
        peak_to_mean: peak / mean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn hours_from(start: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        (0..n).map(|i| start + Duration::hours(i as i64)).collect()
    }

    #[test]
    fn calibration_recovers_a_known_shape() {
        // Four weeks of a noiseless trace: 2 MW by day (08-20 local), 1 MW by night, weekends x 0.5.
        let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(); // a Monday
        let hours = hours_from(start, 24 * 28);
        let values: Vec<f64> = hours
            .iter()
            .map(|t| {
                let local = *t + Duration::hours(9);
                let day = if (8..20).contains(&local.hour()) { 2.0 } else { 1.0 };
                day * if local.weekday().num_days_from_monday() >= 5 {
                    0.5
                } else {
                    1.0
                }
            })
            .collect();
        let shape = DemandShape::calibrate(&hours, &values, 9).unwrap();
        assert!(
            (shape.diurnal[12] / shape.diurnal[3] - 2.0).abs() < 1e-9,
            "{:?}",
            shape.diurnal
        );
        assert!(
            (shape.weekly[6] / shape.weekly[2] - 0.5).abs() < 1e-9,
            "{:?}",
            shape.weekly
        );
        assert!(shape.noise_cv < 1e-9);
        assert!((shape.diurnal.iter().sum::<f64>() - 24.0).abs() < 1e-9);
        // Generating at the same offset reproduces the trace's pattern (no noise): ratio day/night 2.
        let series = shape.generate(start, 48, LocalClock::Fixed(9), 1.0, 1);
        let (noon, night) = (series[12 - 9], series[27 - 9]);
        assert!((noon / night - 2.0).abs() < 1e-9, "{noon} {night}");
    }

    #[test]
    fn seeds_reproduce_and_differ() {
        let shape = DemandShape {
            diurnal: [1.0; 24],
            weekly: [1.0; 7],
            noise_cv: 0.2,
            noise_lag1: 0.0,
            max_to_mean: f64::INFINITY,
        };
        let start = Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            shape.generate(start, 100, LocalClock::Fixed(0), 1.0, 7),
            shape.generate(start, 100, LocalClock::Fixed(0), 1.0, 7)
        );
        assert_ne!(
            shape.generate(start, 100, LocalClock::Fixed(0), 1.0, 7),
            shape.generate(start, 100, LocalClock::Fixed(0), 1.0, 8)
        );
        // Lognormal noise of mean 1 and CV 0.2 over a year: mean within 1 %, CV within 5 %.
        let year = shape.generate(start, 8760, LocalClock::Fixed(0), 1.0, 3);
        let mean = year.iter().sum::<f64>() / 8760.0;
        let cv = (year.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 8760.0).sqrt() / mean;
        assert!((mean - 1.0).abs() < 0.01, "{mean}");
        assert!((cv - 0.2).abs() < 0.01, "{cv}");
    }

    #[test]
    fn noise_with_memory_keeps_its_mean_and_spread() {
        let start = Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap();
        for (rho, cv) in [(0.0, 0.2), (0.47, 0.2), (0.8, 0.5), (-0.3, 0.3)] {
            let shape = DemandShape {
                diurnal: [1.0; 24],
                weekly: [1.0; 7],
                noise_cv: cv,
                noise_lag1: rho,
                max_to_mean: f64::INFINITY,
            };
            let (mut r, mut m, mut c) = (0.0, 0.0, 0.0);
            for seed in 0..10 {
                let year = shape.generate(start, 8760, LocalClock::Fixed(0), 1.0, seed);
                let mean = year.iter().sum::<f64>() / 8760.0;
                let sd = (year.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 8760.0).sqrt();
                (r, m, c) = (
                    r + lag1_autocorrelation(&year) / 10.0,
                    m + mean / 10.0,
                    c + sd / mean / 10.0,
                );
            }
            assert!((r - rho).abs() < 0.02, "lag-1 {r} for {rho}");
            assert!((m - 1.0).abs() < 0.02, "mean {m}");
            assert!((c / cv - 1.0).abs() < 0.05, "CV {c} for {cv}");
        }
    }

    #[test]
    fn a_time_zone_peaks_at_the_same_local_hour_in_january_and_july() {
        // No noise, a daily peak at 14:00 local.
        let shape = DemandShape {
            diurnal: std::array::from_fn(|h| {
                1.0 + 0.5 * ((h as f64 - 14.0) / 24.0 * std::f64::consts::TAU).cos()
            }),
            weekly: [1.0; 7],
            noise_cv: 0.0,
            noise_lag1: 0.0,
            max_to_mean: f64::INFINITY,
        };
        let peak_utc_hour = |clock: LocalClock, month: u32| {
            let start = Utc.with_ymd_and_hms(2022, month, 15, 0, 0, 0).unwrap();
            let day = shape.generate(start, 24, clock, 1.0, 1);
            (0..24).max_by(|&a, &b| day[a].total_cmp(&day[b])).unwrap()
        };
        let new_york = LocalClock::Zone("America/New_York".parse().unwrap());
        // 14:00 EST is 19Z, 14:00 EDT is 18Z.
        assert_eq!((peak_utc_hour(new_york, 1), peak_utc_hour(new_york, 7)), (19, 18));
        let sydney = LocalClock::Zone("Australia/Sydney".parse().unwrap());
        // 14:00 AEDT (UTC+11) is 03Z, 14:00 AEST (UTC+10) is 04Z.
        assert_eq!((peak_utc_hour(sydney, 1), peak_utc_hour(sydney, 7)), (3, 4));
        // A fixed offset does not follow daylight saving: the same UTC hour all year.
        let fixed = LocalClock::Fixed(-5);
        assert_eq!((peak_utc_hour(fixed, 1), peak_utc_hour(fixed, 7)), (19, 19));
        assert_eq!(
            new_york.hour_and_weekday(Utc.with_ymd_and_hms(2022, 7, 4, 3, 0, 0).unwrap()),
            (23, 6)
        );
    }

    #[test]
    fn burstiness_of_a_spike() {
        let b = burstiness(&[10.0, 10.0, 10.0, 30.0]);
        assert_eq!(b.peak_to_mean, 2.0);
        assert!((b.cv - (75.0f64).sqrt() / 15.0).abs() < 1e-12);
    }
}
