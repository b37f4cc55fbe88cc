//! `nearest` (GLB-Nearest, "Closest Connection"): every gateway is served by its nearest data
//! center; no optimisation. (Every routing mode allows that pair: `Scenario::load` checks it.)

use crate::allocation::{self, Allocation};
use crate::problem::{Fleet, HourInputs};

use super::Policy;

/// Each gateway to its `nearest_dc`.
pub struct Nearest {
    fleet: Fleet,
}

impl Nearest {
    /// The policy for `fleet`.
    pub fn new(fleet: &Fleet) -> Nearest {
        Nearest { fleet: fleet.clone() }
    }
}

impl Policy for Nearest {
    fn name(&self) -> &'static str {
        "nearest"
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, String> {
        allocation::forced_allocation(&self.fleet.nearest_dc, hour.demand_mw, &self.fleet)
            .map_err(|e| format!("nearest routing cannot serve the demand: {e}"))
    }
}
