//! `min-carbon` (GLB-Carbon, the authors' "Pure Carbon"): lowest total carbon every hour,
//! ignoring energy cost.

use super::{Policy, UnitWeights, Weighted};
use crate::error::PolicyError;
use crate::model::Problem;

/// Carbon only: 1 USD per tonne, no energy cost.
pub fn build(problem: &Problem, _params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    let weights = UnitWeights {
        cost: 0.0,
        water_usd_per_m3: 0.0,
        carbon_usd_per_t: 1.0,
    };
    Ok(Box::new(Weighted::new("min-carbon", &problem.fleet, weights)))
}
