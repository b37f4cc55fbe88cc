//! `cost-water-carbon` (GLB-C1, the authors' "Total Cost"): energy cost plus 5 x the water weight
//! and 2 x the carbon weight on the data centers' average footprints, i.e. `5 x water weight / N`
//! per m3 and `2 x carbon weight / N` per tonne of total footprint (30 USD/m3 and 300 USD/t on the
//! paper's weights and 10 data centers).

use crate::problem::Fleet;

use super::UnitWeights;

/// Cost + `5 x water weight / N` per m3 + `2 x carbon weight / N` per tonne.
pub fn weights(fleet: &Fleet) -> UnitWeights {
    let n = fleet.dcs.len() as f64;
    UnitWeights {
        cost: 1.0,
        water_usd_per_m3: 5.0 * fleet.equity.water_usd_per_m3 / n,
        carbon_usd_per_t: 2.0 * fleet.equity.carbon_usd_per_t / n,
    }
}
