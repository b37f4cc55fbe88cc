//! `min-water` (GLB-Water, the authors' "Pure Water"): lowest total water every hour, ignoring
//! energy cost.

use super::{Policy, UnitWeights, Weighted};
use crate::error::PolicyError;
use crate::model::Problem;

/// Water only: 1 USD per m3, no energy cost.
pub fn build(problem: &Problem, _params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    let weights = UnitWeights {
        cost: 0.0,
        water_usd_per_m3: 1.0,
        carbon_usd_per_t: 0.0,
    };
    Ok(Box::new(Weighted::new("min-water", &problem.fleet, weights)))
}
