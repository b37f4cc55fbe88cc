//! `min-cost` (the paper's GLB-Energy, the authors' "Min Price"): lowest energy cost every hour.
//!
//! The template for a new policy: a struct holding what the policy may know in advance (here the
//! fleet only, so it cannot see the future), a `build` function for the registry, and `decide`,
//! which turns one hour's inputs into an allocation. The simulator checks every allocation.

use super::Policy;
use crate::error::PolicyError;
use crate::model::allocation::{self, Allocation};
use crate::model::{Fleet, HourInputs, Problem};

/// The cheapest data centers first, every hour.
pub struct MinCost {
    fleet: Fleet,
}

/// The registry's build function: `min-cost` takes no parameters.
pub fn build(problem: &Problem, _params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    Ok(Box::new(MinCost {
        fleet: problem.fleet.clone(),
    }))
}

impl Policy for MinCost {
    fn name(&self) -> &str {
        "min-cost"
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, PolicyError> {
        Ok(allocation::cheapest(
            hour.price_usd_per_mwh,
            hour.demand_mw,
            &self.fleet,
        )?)
    }
}
