//! What an online policy may know at hour `t` of hour `t + h`: forecasts of each gateway's demand
//! and each data center's price, carbon and water intensity (`[forecast]` in a scenario).
//!
//! Lead 0 is the present hour, known exactly (a policy sees it anyway). For a lead `h >= 1`:
//! - `perfect`: the truth;
//! - `persistence`: the value 24 hours before the target hour, or, for a target more than a day
//!   ahead, the latest known value at the same hour of day (`t + h - 24k` for the smallest `k`
//!   that makes it known); the hour `t` value before the horizon has a day of history;
//! - `noisy`: the truth times `exp(sigma x sqrt(h) x e)`, `e` standard normal (`rand_distr`),
//!   so the error grows like a random walk's with the lead; right in the median (its mean is
//!   `exp(sigma² h / 2)` times the truth: 1.6 times at sigma 0.2 and a lead of 24 hours). Each series (a gateway's demand, a
//!   data center's price, carbon or water) has its own independent stream: the normals of the
//!   forecasts issued at hour `t` are drawn in lead order from a ChaCha8 generator seeded by the
//!   scenario's seed, the series and `t`. A forecast is thus a function of the seed, the series,
//!   the issue hour and the lead alone, the same whichever forecasts a policy asks for, in
//!   whatever order, on any machine and thread count.
//!
//! A [`Forecaster`] answers for at most `window` hours from the present (leads `0..window`) and
//! never past the horizon: whatever a policy does with it, its hour-`t` decision cannot depend on
//! hours after `t + window - 1`.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use super::Problem;

/// How the hours ahead are forecast.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ForecastModel {
    /// The truth.
    #[default]
    Perfect,
    /// The same hour a day earlier.
    Persistence,
    /// The truth with lognormal error growing with the lead.
    Noisy,
}

impl ForecastModel {
    /// Its name in a scenario.
    pub fn name(self) -> &'static str {
        match self {
            ForecastModel::Perfect => "perfect",
            ForecastModel::Persistence => "persistence",
            ForecastModel::Noisy => "noisy",
        }
    }
}

/// The scenario's `[forecast]` table, and the seed of its noise.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ForecastSpec {
    /// The model.
    pub model: ForecastModel,
    /// For `noisy`: the standard deviation of the log error one hour ahead.
    pub sigma: f64,
    /// The scenario's seed.
    pub seed: u64,
}

/// One hour as forecast: the fields of [`super::HourInputs`], owned.
#[derive(Debug, Clone, PartialEq)]
pub struct HourForecast {
    /// Index of the hour in the horizon.
    pub hour: usize,
    /// MW per gateway.
    pub demand_mw: Vec<f64>,
    /// USD per MWh per data center.
    pub price_usd_per_mwh: Vec<f64>,
    /// kg per kWh per data center.
    pub carbon_kg_per_kwh: Vec<f64>,
    /// L per kWh per data center.
    pub water_l_per_kwh: Vec<f64>,
}

/// Forecasts of a problem's hours, at most `window` hours from the present.
#[derive(Debug, Clone)]
pub struct Forecaster {
    spec: ForecastSpec,
    window: usize,
    /// `series[k][t]`: the truth of series `k` (gateways' demand, then data centers' price,
    /// carbon, water) in hour `t`, as hour-major rows.
    truth: [Vec<Vec<f64>>; 4],
}

impl Forecaster {
    /// Forecasts of `problem`'s hours as its `forecast` table says, `window` (at least 1) hours
    /// from the present.
    pub fn new(problem: &Problem, window: usize) -> Forecaster {
        Forecaster {
            spec: problem.forecast,
            window: window.max(1),
            truth: [
                problem.demand_mw.clone(),
                problem.price_usd_per_mwh.clone(),
                problem.carbon_kg_per_kwh.clone(),
                problem.water_l_per_kwh.clone(),
            ],
        }
    }

    /// How far ahead it answers: leads `0..window`.
    pub fn window(&self) -> usize {
        self.window
    }

    /// The hours `now..now + window` (fewer at the end of the horizon), as known at `now`.
    pub fn ahead(&self, now: usize) -> Vec<HourForecast> {
        let leads = (now + self.window).min(self.truth[0].len()).saturating_sub(now);
        if leads == 0 {
            return Vec::new();
        }
        // columns[kind][i][lead]: series i of this kind over the leads.
        let columns: Vec<Vec<Vec<f64>>> = self
            .truth
            .iter()
            .enumerate()
            .map(|(kind, rows)| {
                let width = rows[now].len();
                (0..width)
                    .map(|i| self.series(rows, (kind * 1_000_000 + i) as u64, now, leads, i))
                    .collect()
            })
            .collect();
        let at = |kind: usize, lead: usize| columns[kind].iter().map(|c| c[lead]).collect();
        (0..leads)
            .map(|lead| HourForecast {
                hour: now + lead,
                demand_mw: at(0, lead),
                price_usd_per_mwh: at(1, lead),
                carbon_kg_per_kwh: at(2, lead),
                water_l_per_kwh: at(3, lead),
            })
            .collect()
    }

    /// Column `i` of `rows` for leads `0..leads` as forecast at `now`; `stream` names the series.
    fn series(&self, rows: &[Vec<f64>], stream: u64, now: usize, leads: usize, i: usize) -> Vec<f64> {
        let truth = |lead: usize| rows[now + lead][i];
        let mut noise = match self.spec.model {
            ForecastModel::Noisy => Some(normals(self.spec.seed, stream, now)),
            _ => None,
        };
        (0..leads)
            .map(|lead| match (lead, self.spec.model) {
                (0, _) | (_, ForecastModel::Perfect) => truth(lead),
                (_, ForecastModel::Persistence) => {
                    let target = now + lead;
                    let back = lead.div_ceil(24) * 24;
                    rows[target.checked_sub(back).unwrap_or(now)][i]
                }
                (_, ForecastModel::Noisy) => {
                    let e = noise.as_mut().and_then(Iterator::next).unwrap_or(0.0);
                    truth(lead) * (self.spec.sigma * (lead as f64).sqrt() * e).exp()
                }
            })
            .collect()
    }
}

/// The standard normals of the stream of series `stream` issued at `now`, for leads 1, 2, ...
fn normals(seed: u64, stream: u64, now: usize) -> impl Iterator<Item = f64> {
    let key =
        seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (now as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    let mut rng = ChaCha8Rng::seed_from_u64(key);
    rng.set_stream(stream);
    StandardNormal.sample_iter(rng)
}

#[cfg(test)]
mod tests {
    use super::{ForecastModel, ForecastSpec, Forecaster};

    /// Four series of 100 hours: value = 1000 x series kind + hour.
    fn forecaster(model: ForecastModel, sigma: f64, window: usize) -> Forecaster {
        let rows = |kind: usize| -> Vec<Vec<f64>> {
            (0..100)
                .map(|t| vec![(1000 * kind + t) as f64 + 1.0; 2])
                .collect()
        };
        Forecaster {
            spec: ForecastSpec {
                model,
                sigma,
                seed: 7,
            },
            window,
            truth: [rows(0), rows(1), rows(2), rows(3)],
        }
    }

    #[test]
    fn perfect_and_persistence_read_the_truth_they_may() {
        let perfect = forecaster(ForecastModel::Perfect, 0.0, 24);
        let hours = perfect.ahead(50);
        assert_eq!(hours.len(), 24);
        assert_eq!((hours[3].hour, hours[3].price_usd_per_mwh[1]), (53, 1054.0));
        assert_eq!(perfect.ahead(90).len(), 10, "nothing past the horizon");
        let persistence = forecaster(ForecastModel::Persistence, 0.0, 30);
        let hours = persistence.ahead(50);
        assert_eq!(hours[0].demand_mw[0], 51.0, "the present is known");
        assert_eq!(
            hours[5].demand_mw[0],
            55.0 - 24.0 + 1.0,
            "a day before the target"
        );
        assert_eq!(
            hours[25].demand_mw[0],
            75.0 - 48.0 + 1.0,
            "two days before: the latest known"
        );
        assert_eq!(
            persistence.ahead(3)[5].water_l_per_kwh[0],
            3004.0,
            "no history: the present"
        );
    }

    #[test]
    fn noise_is_seeded_independent_of_order_and_grows_with_the_lead() {
        let noisy = forecaster(ForecastModel::Noisy, 0.1, 48);
        let all = noisy.ahead(10);
        assert_eq!(all, noisy.ahead(10), "deterministic");
        let short = Forecaster {
            window: 5,
            ..noisy.clone()
        };
        assert_eq!(
            short.ahead(10)[..],
            all[..5],
            "the same forecasts whatever the window"
        );
        assert_eq!(all[0].carbon_kg_per_kwh[0], 2011.0, "the present is known");
        assert_ne!(
            all[1].price_usd_per_mwh[0], all[1].price_usd_per_mwh[1],
            "a stream per series"
        );
        assert_ne!(noisy.ahead(11)[0..2], all[1..3], "a stream per issue hour");
        // log errors over many issue hours: mean about 0, standard deviation sigma x sqrt(lead).
        for lead in [1, 16] {
            let logs: Vec<f64> = (0..52)
                .flat_map(|now| {
                    let f = noisy.ahead(now)[lead].clone();
                    let truth = |kind: usize| (1000 * kind + now + lead) as f64 + 1.0;
                    [f.demand_mw[0] / truth(0), f.water_l_per_kwh[1] / truth(3)].map(f64::ln)
                })
                .collect();
            let mean = logs.iter().sum::<f64>() / logs.len() as f64;
            let sd = (logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / logs.len() as f64).sqrt();
            let expected = 0.1 * (lead as f64).sqrt();
            assert!(
                (sd / expected - 1.0).abs() < 0.25,
                "lead {lead}: sd {sd} for {expected}"
            );
            assert!(
                mean.abs() < 3.0 * expected / (logs.len() as f64).sqrt() + 1e-3,
                "lead {lead}: mean {mean}"
            );
        }
    }
}
