//! `cost-carbon` (GLB-C2, the authors' "Price and Carbon"): energy cost plus 4 x the carbon
//! equity weight on the data centers' average carbon, i.e. `4 x carbon weight / N` per tonne of
//! total carbon (600 USD/t for the paper's 1,500 USD/t and 10 data centers).

use super::{Policy, UnitWeights, Weighted};
use crate::error::PolicyError;
use crate::model::Problem;

/// Cost + `4 x carbon weight / N` per tonne.
pub fn build(problem: &Problem, _params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    let fleet = &problem.fleet;
    let n = fleet.dcs.len() as f64;
    let weights = UnitWeights {
        cost: 1.0,
        water_usd_per_m3: 0.0,
        carbon_usd_per_t: 4.0 * fleet.equity.carbon_usd_per_t / n,
    };
    Ok(Box::new(Weighted::new("cost-carbon", fleet, weights)))
}
