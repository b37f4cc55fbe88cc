//! The equity-oblivious hour-by-hour policies: each minimises a fixed weighted sum of energy cost,
//! water and carbon, which separates by hour, so each hour is one cheapest-allocation step.

use crate::allocation::{self, Allocation};
use crate::problem::{Fleet, HourInputs};

use super::Policy;

/// Weights of a linear hourly objective.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitWeights {
    /// Multiplies energy cost (USD).
    pub cost: f64,
    /// USD per m3 of total water.
    pub water_usd_per_m3: f64,
    /// USD per tonne of total carbon.
    pub carbon_usd_per_t: f64,
}

/// Minimises `cost x energy cost + water weight x water + carbon weight x carbon` every hour.
pub struct Weighted {
    name: &'static str,
    fleet: Fleet,
    weights: UnitWeights,
}

impl Weighted {
    /// A policy with the given name and weights.
    pub fn new(name: &'static str, fleet: &Fleet, weights: UnitWeights) -> Weighted {
        Weighted {
            name,
            fleet: fleet.clone(),
            weights,
        }
    }
}

impl Policy for Weighted {
    fn name(&self) -> &'static str {
        self.name
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, String> {
        let w = self.weights;
        // Per MWh: price in USD, water in m3 (L/kWh), carbon in t (kg/kWh).
        let unit_price: Vec<f64> = (0..self.fleet.dcs.len())
            .map(|d| {
                w.cost * hour.price_usd_per_mwh[d]
                    + w.water_usd_per_m3 * hour.water_l_per_kwh[d]
                    + w.carbon_usd_per_t * hour.carbon_kg_per_kwh[d]
            })
            .collect();
        allocation::cheapest(&unit_price, hour.demand_mw, &self.fleet)
    }
}
