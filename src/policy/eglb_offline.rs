//! `eglb-offline` (the paper's eGLB-Off, the authors' "Equitable"): the min-max LP over the whole
//! horizon, solved once when the policy is built, with full knowledge of the future
//! ([`crate::solver::offline`]), and replayed hour by hour.

use super::Policy;
use crate::error::PolicyError;
use crate::model::allocation::Allocation;
use crate::model::{HourInputs, Problem};
use crate::solver::offline::{self, OfflinePlan};

/// The offline optimum, replayed.
pub struct EglbOffline {
    plan: OfflinePlan,
}

/// The registry's build function: solves the whole problem (no parameters).
pub fn build(problem: &Problem, _params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    Ok(Box::new(EglbOffline {
        plan: offline::solve(problem)?,
    }))
}

impl Policy for EglbOffline {
    fn name(&self) -> &str {
        "eglb-offline"
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, PolicyError> {
        Ok(self.plan.allocations[hour.hour].clone())
    }

    fn notes(&self) -> Vec<String> {
        let c = self.plan.certificate;
        let fallbacks = self
            .plan
            .fallbacks
            .iter()
            .map(|e| format!("eglb-offline: a faster path failed and was given up: {e}"));
        fallbacks.chain([format!(
            "eglb-offline: {} ({} dual evaluations, {} of {} hours solved jointly); objective {:.6} USD, certified lower bound {:.6} USD (relative gap {:.1e})",
            c.method,
            c.dual_evaluations,
            c.free_hours,
            self.plan.allocations.len(),
            c.objective_usd,
            c.lower_bound_usd,
            c.relative_gap()
        )])
        .collect()
    }
}
