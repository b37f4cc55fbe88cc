//! `min-carbon` (GLB-Carbon, the authors' "Pure Carbon"): lowest total carbon every hour,
//! ignoring energy cost.

use super::UnitWeights;

/// Carbon only (its scale does not matter).
pub fn weights() -> UnitWeights {
    UnitWeights {
        cost: 0.0,
        water_usd_per_m3: 0.0,
        carbon_usd_per_t: 1.0,
    }
}
