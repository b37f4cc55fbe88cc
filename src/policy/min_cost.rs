//! `min-cost` (the paper's GLB-Energy, the authors' "Min Price"): lowest energy cost every hour.

use super::UnitWeights;

/// Energy cost only.
pub fn weights() -> UnitWeights {
    UnitWeights {
        cost: 1.0,
        water_usd_per_m3: 0.0,
        carbon_usd_per_t: 0.0,
    }
}
