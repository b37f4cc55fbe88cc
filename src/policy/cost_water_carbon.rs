//! `cost-water-carbon` (GLB-C1, the authors' "Total Cost"): energy cost plus 5 x the water weight
//! and 2 x the carbon weight on the data centers' average footprints, i.e. `5 x water weight / N`
//! per m3 and `2 x carbon weight / N` per tonne of total footprint (30 USD/m3 and 300 USD/t on the
//! paper's weights and 10 data centers).

use super::{Policy, UnitWeights, Weighted};
use crate::error::PolicyError;
use crate::model::Problem;

/// Cost + `5 x water weight / N` per m3 + `2 x carbon weight / N` per tonne.
pub fn build(problem: &Problem, _params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    let fleet = &problem.fleet;
    let n = fleet.dcs.len() as f64;
    let weights = UnitWeights {
        cost: 1.0,
        water_usd_per_m3: 5.0 * fleet.equity.water_usd_per_m3 / n,
        carbon_usd_per_t: 2.0 * fleet.equity.carbon_usd_per_t / n,
    };
    Ok(Box::new(Weighted::new("cost-water-carbon", fleet, weights)))
}
