//! Metrics of a run: per-data-center totals, the objective every policy is scored by,
//! disparity across data centers (max, mean, peak-to-average ratio, Gini, Jain's index), and
//! what users see of where their requests went (round-trip times, the share served remotely).

use crate::footprint::Footprint;
use crate::model::allocation::Flow;
use crate::model::{Fleet, Problem};

/// Per-data-center footprint totals over the horizon, from hour-major loads `loads_mw[t][dc]`.
pub fn dc_totals(problem: &Problem, loads_mw: &[Vec<f64>]) -> Vec<Footprint> {
    let mut totals = vec![Footprint::default(); problem.fleet.dcs.len()];
    for (t, loads) in loads_mw.iter().enumerate() {
        for (d, &load) in loads.iter().enumerate() {
            totals[d].add(&problem.footprint(t, d, load));
        }
    }
    totals
}

/// Energy cost + water weight x highest data-center water (m3) + carbon weight x highest
/// data-center carbon (t), USD: the eGLB objective, used to score every policy. With
/// vulnerability weights, "highest" is of weight x footprint.
pub fn objective_usd(problem: &Problem, loads_mw: &[Vec<f64>]) -> f64 {
    objective_of_totals(problem, &dc_totals(problem, loads_mw))
}

/// With vulnerability weights, the equity terms take the max of `weight x footprint` (plus what
/// the region carries into the horizon, [`crate::model::Carried`]).
fn objective_of_totals(problem: &Problem, totals: &[Footprint]) -> f64 {
    let fleet = &problem.fleet;
    let cost: f64 = totals.iter().map(|f| f.cost_usd).sum();
    let (carried_water_m3, carried_carbon_t) = problem.carried.totals(totals.len());
    let weighted_max = |footprint: fn(&Footprint) -> f64, weights: &[f64], carried: &[f64]| {
        (0..totals.len())
            .map(|d| carried[d] + weights[d] * footprint(&totals[d]) / 1000.0)
            .fold(0.0, f64::max)
    };
    let max_water_m3 = weighted_max(|f| f.water_l, &fleet.water_vulnerability, &carried_water_m3);
    let max_carbon_t = weighted_max(|f| f.carbon_kg, &fleet.carbon_vulnerability, &carried_carbon_t);
    cost + fleet.equity.water_usd_per_m3 * max_water_m3 + fleet.equity.carbon_usd_per_t * max_carbon_t
}

/// How unevenly a footprint falls across data centers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disparity {
    /// Highest value.
    pub max: f64,
    /// Mean over data centers.
    pub mean: f64,
    /// Peak-to-average ratio, max / mean (1 = even).
    pub par: f64,
    /// Gini coefficient (0 = even, towards 1 = all on one).
    pub gini: f64,
    /// Jain's fairness index, (sum x)^2 / (n sum x^2) (1 = even, 1/n = all on one).
    pub jain: f64,
}

impl Disparity {
    /// The disparity of `values` (non-negative). An all-zero vector counts as even.
    pub fn of(values: &[f64]) -> Disparity {
        let n = values.len() as f64;
        let sum: f64 = values.iter().sum();
        let mean = sum / n;
        let max = values.iter().cloned().fold(0.0, f64::max);
        if sum <= 0.0 {
            return Disparity {
                max,
                mean,
                par: 1.0,
                gini: 0.0,
                jain: 1.0,
            };
        }
        let abs_diffs: f64 = values
            .iter()
            .flat_map(|a| values.iter().map(move |b| (a - b).abs()))
            .sum();
        let squares: f64 = values.iter().map(|v| v * v).sum();
        Disparity {
            max,
            mean,
            par: max / mean,
            gini: abs_diffs / (2.0 * n * n * mean),
            jain: sum * sum / (n * squares),
        }
    }
}

/// The summary of one policy's run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The eGLB objective under the scenario's weights, USD.
    pub objective_usd: f64,
    /// Total energy cost, USD.
    pub cost_usd: f64,
    /// Total server energy, MWh.
    pub energy_mwh: f64,
    /// Water across data centers, m3.
    pub water_m3: Disparity,
    /// Carbon across data centers, t.
    pub carbon_t: Disparity,
    /// Where users' requests went.
    pub latency: Latency,
}

impl Summary {
    /// Summarises per-data-center totals, with what users saw of the run.
    pub fn of(problem: &Problem, totals: &[Footprint], latency: Latency) -> Summary {
        let water: Vec<f64> = totals.iter().map(|f| f.water_l / 1000.0).collect();
        let carbon: Vec<f64> = totals.iter().map(|f| f.carbon_kg / 1000.0).collect();
        Summary {
            objective_usd: objective_of_totals(problem, totals),
            cost_usd: totals.iter().map(|f| f.cost_usd).sum(),
            energy_mwh: totals.iter().map(|f| f.energy_mwh).sum(),
            water_m3: Disparity::of(&water),
            carbon_t: Disparity::of(&carbon),
            latency,
        }
    }
}

/// What users see of a run: the demand-weighted mean and 95th percentile of the round-trip time
/// to the data center serving them (where every site has coordinates), and the share of demand
/// served by a data center other than the gateway's own (nearest) one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latency {
    /// Demand-weighted mean round-trip time, ms.
    pub rtt_mean_ms: Option<f64>,
    /// Demand-weighted 95th percentile round-trip time, ms: 95% of the demand saw at most this.
    pub rtt_p95_ms: Option<f64>,
    /// Share of the demand served away from the gateway's nearest data center, 0 to 1.
    pub remote_share: f64,
}

impl Latency {
    /// From every hour's flows; `pair_rtt_ms` gives each (data center, gateway) pair's
    /// round-trip time, data-center major (`NaN` where not measured).
    pub fn of(fleet: &Fleet, flows: &[Vec<Flow>], pair_rtt_ms: Option<&[f64]>) -> Latency {
        let n_gateways = fleet.gateways.len();
        let mut pair_mw = vec![0.0; fleet.dcs.len() * n_gateways];
        for flow in flows.iter().flatten() {
            pair_mw[flow.dc as usize * n_gateways + flow.gateway as usize] += flow.load_mw;
        }
        let total: f64 = pair_mw.iter().sum();
        let remote: f64 = (0..pair_mw.len())
            .filter(|&i| fleet.nearest_dc[i % n_gateways] != i / n_gateways)
            .map(|i| pair_mw[i])
            .sum();
        let share = |part: f64| if total > 0.0 { part / total } else { 0.0 };
        let rtt = pair_rtt_ms.filter(|_| total > 0.0);
        // Unknown (None) where demand flows over a pair with no measured time.
        let known = |v: f64| Some(v).filter(|v| !v.is_nan());
        let weighted_sum = |r: &[f64]| -> f64 {
            r.iter()
                .zip(&pair_mw)
                .filter(|(_, mw)| **mw > 0.0)
                .map(|(ms, mw)| ms * mw)
                .sum()
        };
        Latency {
            rtt_mean_ms: rtt.and_then(|r| known(share(weighted_sum(r)))),
            rtt_p95_ms: rtt.and_then(|r| known(weighted_quantile(r, &pair_mw, 0.95))),
            remote_share: share(remote),
        }
    }
}

/// The smallest of `values` below which (inclusive) at least `q` of the total `weights` lie.
fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| weights[i] > 0.0).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let total: f64 = order.iter().map(|&i| weights[i]).sum();
    let mut below = 0.0;
    for &i in &order {
        below += weights[i];
        if below >= q * total {
            return values[i];
        }
    }
    order.last().map_or(0.0, |&i| values[i])
}

#[cfg(test)]
mod tests {
    use super::{Disparity, weighted_quantile};

    #[test]
    fn weighted_quantiles_by_hand() {
        // Weights 1, 2, 7 at 10, 20, 30 ms: 95% of the weight lies at or below 30 ms, 25% at or
        // below 20 ms, 10% at or below 10 ms.
        let (ms, w) = ([20.0, 10.0, 30.0], [2.0, 1.0, 7.0]);
        assert_eq!(weighted_quantile(&ms, &w, 0.95), 30.0);
        assert_eq!(weighted_quantile(&ms, &w, 0.25), 20.0);
        assert_eq!(weighted_quantile(&ms, &w, 0.1), 10.0);
        assert_eq!(weighted_quantile(&ms, &[0.0, 1.0, 0.0], 0.95), 10.0);
    }

    #[test]
    fn disparity_of_even_and_concentrated() {
        let even = Disparity::of(&[2.0, 2.0, 2.0, 2.0]);
        assert_eq!((even.par, even.gini, even.jain), (1.0, 0.0, 1.0));
        let one = Disparity::of(&[0.0, 0.0, 0.0, 8.0]);
        assert_eq!(one.max, 8.0);
        assert_eq!(one.par, 4.0);
        assert_eq!(one.gini, 0.75); // (n - 1) / n
        assert_eq!(one.jain, 0.25); // 1 / n
        let mixed = Disparity::of(&[1.0, 3.0]);
        // |1-3| x 2 / (2 x 4 x 2) = 0.25; 16 / (2 x 10) = 0.8
        assert_eq!((mixed.par, mixed.gini, mixed.jain), (1.5, 0.25, 0.8));
    }
}
