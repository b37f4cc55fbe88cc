//! The equity-oblivious weighted hour-by-hour policies: each minimises a fixed weighted sum of
//! energy cost, water and carbon, which separates by hour, so each hour is one
//! cheapest-allocation step.

use super::Policy;
use crate::error::PolicyError;
use crate::model::allocation::{self, Allocation};
use crate::model::{Fleet, HourInputs};

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
    cost: f64,
    water_usd_per_m3: Vec<f64>,
    carbon_usd_per_t: Vec<f64>,
}

impl Weighted {
    /// A policy with the given name and weights.
    pub fn new(name: &'static str, fleet: &Fleet, weights: UnitWeights) -> Weighted {
        let n = fleet.dcs.len();
        Weighted {
            name,
            fleet: fleet.clone(),
            cost: weights.cost,
            water_usd_per_m3: vec![weights.water_usd_per_m3; n],
            carbon_usd_per_t: vec![weights.carbon_usd_per_t; n],
        }
    }
}

impl Policy for Weighted {
    fn name(&self) -> &str {
        self.name
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, PolicyError> {
        let unit_price = hour.unit_prices(self.cost, &self.water_usd_per_m3, &self.carbon_usd_per_t);
        Ok(allocation::cheapest(&unit_price, hour.demand_mw, &self.fleet)?)
    }
}
