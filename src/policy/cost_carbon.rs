//! `cost-carbon` (GLB-C2, the authors' "Price and Carbon"): energy cost plus 4 x the carbon
//! equity weight on the data centers' average carbon, i.e. `4 x carbon weight / N` per tonne of
//! total carbon (600 USD/t for the paper's 1,500 USD/t and 10 data centers).

use crate::problem::Fleet;

use super::UnitWeights;

/// Cost + `4 x carbon weight / N` per tonne.
pub fn weights(fleet: &Fleet) -> UnitWeights {
    let n = fleet.dcs.len() as f64;
    UnitWeights {
        cost: 1.0,
        water_usd_per_m3: 0.0,
        carbon_usd_per_t: 4.0 * fleet.equity.carbon_usd_per_t / n,
    }
}
