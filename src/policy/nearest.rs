//! `nearest` (GLB-Nearest, "Closest Connection"): every gateway is served by its nearest data
//! center; no optimisation. (Every routing mode allows that pair: the scenario's validation checks
//! it.) Its pre-run check finds the hours in which some data center cannot carry its nearest
//! gateways' demand, before any policy runs.

use super::Policy;
use crate::error::listed;
use crate::error::{Error, PolicyError, Result};
use crate::model::allocation::{self, Allocation};
use crate::model::{FEASIBILITY_TOL_MW, Fleet, HourInputs, Problem};

/// Each gateway to its `nearest_dc`.
pub struct Nearest {
    fleet: Fleet,
}

/// The registry's build function: no parameters.
pub fn build(problem: &Problem, _params: &toml::Table) -> std::result::Result<Box<dyn Policy>, PolicyError> {
    Ok(Box::new(Nearest {
        fleet: problem.fleet.clone(),
    }))
}

impl Policy for Nearest {
    fn name(&self) -> &str {
        "nearest"
    }

    fn decide(&mut self, hour: &HourInputs) -> std::result::Result<Allocation, PolicyError> {
        Ok(allocation::forced_allocation(
            &self.fleet.nearest_dc,
            hour.demand_mw,
            &self.fleet,
        )?)
    }
}

/// Fails with the hours in which some data center cannot carry the demand of the gateways whose
/// nearest it is, and by how much.
pub fn precheck(problem: &Problem) -> Result<()> {
    let fleet = &problem.fleet;
    let mut short = Vec::new();
    for t in 0..problem.n_hours() {
        let mut load = vec![0.0; fleet.dcs.len()];
        for (g, &d) in fleet.nearest_dc.iter().enumerate() {
            load[d] += problem.demand_mw[t][g];
        }
        if let Some((d, over)) = load
            .iter()
            .zip(&fleet.capacity_mw)
            .map(|(l, c)| l - c)
            .enumerate()
            .find(|(_, over)| *over > FEASIBILITY_TOL_MW)
        {
            short.push(format!(
                "{} dc `{}` over capacity by {over:.6} MW",
                problem.hours[t], fleet.dcs[d]
            ));
        }
    }
    if short.is_empty() {
        return Ok(());
    }
    Err(Error::Infeasible(format!(
        "policy `nearest`: in {} hour(s) a data center cannot carry its nearest gateways' demand: {}",
        short.len(),
        listed(&short, "; ")
    )))
}
