//! `drift-plus-penalty` (Lyapunov optimisation; Neely, "Stochastic Network Optimization with
//! Application to Communication and Queueing Systems", 2010): hour by hour, no future information.
//!
//! A virtual queue per data center and footprint (water in m³, carbon in t, each times the
//! region's vulnerability weight, as the equity terms count them) holds how much more than its
//! share that region has carried so far: after each hour,
//! `Q_i <- max(Q_i + footprint_i(t) - budget(t), 0)`, where the budget is the fleet's mean
//! regional footprint per hour so far (every region's footprint over hours `0..=t`, divided by
//! the number of regions and of hours). Each hour minimises
//! `v x energy cost + sum_i weight x Q_i x footprint_i` (the weight: the equity weight), which
//! separates by data center into unit prices: the same exact cheapest allocation as the other
//! hour-by-hour policies.
//!
//! The trade-off: a large `v` weighs cost over the queues (as `v` grows, `min-cost`); a small `v`
//! steers load away from every region ahead of its share as soon as it is ahead, flattening the
//! regional totals at a higher cost. The queues are in m³ and t, so `v` carries their units:
//! `v = 1` prices a region one m³ ahead of its share at its equity weight per m³ of its next
//! footprint. Parameters: `[policy.drift-plus-penalty] v` (default 1,000: on the paper's case
//! study the gap to the offline optimum is 11 % at `v` = 100, 3.3 % at 1,000 and 8.9 % at 3,000).

use serde::{Deserialize, Serialize};

use super::Policy;
use crate::error::PolicyError;
use crate::model::allocation::{self, Allocation};
use crate::model::{Fleet, HourInputs, Problem};

/// Parameters of `drift-plus-penalty`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The weight of energy cost against the queues.
    #[serde(default = "default_v")]
    pub v: f64,
}

fn default_v() -> f64 {
    1000.0
}

impl Params {
    fn from_table(table: &toml::Table) -> Result<Params, String> {
        let params: Params = super::parse_params(table)?;
        if !(params.v.is_finite() && params.v >= 0.0) {
            return Err(format!("`v` must be a finite number >= 0, got {}", params.v));
        }
        Ok(params)
    }
}

/// The registry's parameter check: the parameters with their defaults.
pub fn resolve_params(table: &toml::Table) -> Result<toml::Table, String> {
    super::params_table(&Params::from_table(table)?)
}

/// The registry's build function: starts from the fleet alone, every queue empty.
pub fn build(problem: &Problem, params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    let params = Params::from_table(params).map_err(PolicyError::Other)?;
    Ok(Box::new(DriftPlusPenalty::new(&problem.fleet, params.v)))
}

/// The queues and the running totals of the budget.
pub struct DriftPlusPenalty {
    fleet: Fleet,
    v: f64,
    water: Queues,
    carbon: Queues,
    hours: usize,
}

/// One footprint's queues, of vulnerability-weighted footprints (as the equity terms count them).
#[derive(Debug, Clone)]
struct Queues {
    /// The equity weight, USD per m³ or t.
    weight: f64,
    /// Per data center: its vulnerability weight.
    vulnerability: Vec<f64>,
    /// Per data center: m³ or t ahead of its share.
    backlog: Vec<f64>,
    /// Every region's footprint so far.
    total: f64,
}

impl DriftPlusPenalty {
    /// Empty queues over `fleet`, with cost weighted by `v`.
    pub fn new(fleet: &Fleet, v: f64) -> DriftPlusPenalty {
        let queues = |weight: f64, vulnerability: &[f64]| Queues {
            weight,
            vulnerability: vulnerability.to_vec(),
            backlog: vec![0.0; vulnerability.len()],
            total: 0.0,
        };
        DriftPlusPenalty {
            fleet: fleet.clone(),
            v,
            water: queues(fleet.equity.water_usd_per_m3, &fleet.water_vulnerability),
            carbon: queues(fleet.equity.carbon_usd_per_t, &fleet.carbon_vulnerability),
            hours: 0,
        }
    }

    /// The water and carbon queues, m³ and t, per data center.
    pub fn backlogs(&self) -> [&[f64]; 2] {
        [&self.water.backlog, &self.carbon.backlog]
    }
}

impl Queues {
    /// Per data center: USD per m³ (or t) of this hour's footprint, `weight x Q_i x v_i`.
    fn prices(&self) -> Vec<f64> {
        self.backlog
            .iter()
            .zip(&self.vulnerability)
            .map(|(q, v)| self.weight * q * v)
            .collect()
    }

    /// The update after hour number `hours` (counting from 1) with these footprints (unweighted).
    fn update(&mut self, footprint: &[f64], hours: usize) {
        let weighted: Vec<f64> = footprint
            .iter()
            .zip(&self.vulnerability)
            .map(|(f, v)| f * v)
            .collect();
        self.total += weighted.iter().sum::<f64>();
        let budget = self.total / (weighted.len() * hours) as f64;
        for (q, f) in self.backlog.iter_mut().zip(&weighted) {
            *q = (*q + f - budget).max(0.0);
        }
    }
}

impl Policy for DriftPlusPenalty {
    fn name(&self) -> &str {
        "drift-plus-penalty"
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, PolicyError> {
        let unit_price = hour.unit_prices(self.v, &self.water.prices(), &self.carbon.prices());
        let allocation = allocation::cheapest(&unit_price, hour.demand_mw, &self.fleet)?;
        let loads = allocation.dc_loads_mw();
        let footprint =
            |intensity: &[f64]| -> Vec<f64> { loads.iter().zip(intensity).map(|(l, i)| l * i).collect() };
        self.hours += 1;
        self.water.update(&footprint(hour.water_l_per_kwh), self.hours);
        self.carbon.update(&footprint(hour.carbon_kg_per_kwh), self.hours);
        Ok(allocation)
    }
}

#[cfg(test)]
mod tests {
    use super::DriftPlusPenalty;
    use crate::model::routing::Routing;
    use crate::model::{EquityWeights, Fleet, HourInputs};
    use crate::policy::Policy;

    /// Three hours worked by hand: data centers A and B (10 MW each), one gateway of 4 MW, water
    /// A 1 and B 2 m³/MWh, carbon A 0.5 and B 0.1 t/MWh, weights 5 USD/m³ and 20 USD/t, v = 1.
    #[test]
    fn queues_by_hand_over_three_hours() {
        let fleet = Fleet {
            dcs: vec!["a".into(), "b".into()],
            gateways: vec!["g".into()],
            capacity_mw: vec![10.0, 10.0],
            routing: Routing::full(2, 1),
            nearest_dc: vec![0],
            equity: EquityWeights {
                water_usd_per_m3: 5.0,
                carbon_usd_per_t: 20.0,
            },
            water_vulnerability: vec![1.0, 1.0],
            carbon_vulnerability: vec![1.0, 1.0],
        };
        let mut policy = DriftPlusPenalty::new(&fleet, 1.0);
        let (water, carbon, demand) = ([1.0, 2.0], [0.5, 0.1], [4.0]);
        // Hour 1, queues empty: unit prices are the energy prices (10, 30), all to A. Water 4 m³
        // at A, budget 4 / 2 regions = 2: queues A 2, B 0. Carbon 2 t, budget 1: A 1, B 0.
        // Hour 2, prices (10, 25): A costs 10 + 5 x 2 x 1 + 20 x 1 x 0.5 = 30, B 25: all to B.
        // Water 8 m³ at B, budget 12 / 4 = 3: A max(2 - 3, 0) = 0, B 5. Carbon 0.4 t, budget
        // 2.4 / 4 = 0.6: A 0.4, B 0.
        // Hour 3, prices (10, 30): A 10 + 0 + 20 x 0.4 x 0.5 = 14, B 30 + 5 x 5 x 2 = 80: all to A.
        // Water budget 16 / 6: A 4 - 16/6, B 5 - 16/6. Carbon budget 4.4 / 6: A 2.4 - 4.4/6, B 0.
        // Per hour: prices, then the loads and the water and carbon queues after it.
        type Hour = ([f64; 2], [f64; 2], [f64; 2], [f64; 2]);
        let expected: [Hour; 3] = [
            ([10.0, 30.0], [4.0, 0.0], [2.0, 0.0], [1.0, 0.0]),
            ([10.0, 25.0], [0.0, 4.0], [0.0, 5.0], [0.4, 0.0]),
            (
                [10.0, 30.0],
                [4.0, 0.0],
                [4.0 - 16.0 / 6.0, 5.0 - 16.0 / 6.0],
                [2.4 - 4.4 / 6.0, 0.0],
            ),
        ];
        for (t, (price, loads, water_q, carbon_q)) in expected.into_iter().enumerate() {
            let hour = HourInputs {
                hour: t,
                price_usd_per_mwh: &price,
                carbon_kg_per_kwh: &carbon,
                water_l_per_kwh: &water,
                demand_mw: &demand,
            };
            let allocation = policy.decide(&hour).unwrap();
            assert_eq!(allocation.dc_loads_mw(), loads, "hour {t}");
            let [w, c] = policy.backlogs();
            for (got, want) in w.iter().chain(c).zip(water_q.iter().chain(&carbon_q)) {
                assert!((got - want).abs() < 1e-12, "hour {t}: queues {w:?} {c:?}");
            }
        }
    }
}
