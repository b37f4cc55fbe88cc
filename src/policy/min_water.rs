//! `min-water` (GLB-Water, the authors' "Pure Water"): lowest total water every hour, ignoring
//! energy cost.

use super::UnitWeights;

/// Water only (its scale does not matter).
pub fn weights() -> UnitWeights {
    UnitWeights {
        cost: 0.0,
        water_usd_per_m3: 1.0,
        carbon_usd_per_t: 0.0,
    }
}
