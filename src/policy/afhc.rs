//! `afhc` (averaging fixed-horizon control; Lin, Liu, Wierman and Andrew, IGCC 2012):
//! `window + 1` fixed-horizon controllers, controller `k` re-planning at the hours
//! `t ≡ k (mod window + 1)` over the `window + 1` hours from there (leads `0..=window`, as in the
//! paper's lookahead of `window`) and committing to its plan until its next re-plan; each hour's
//! allocation is the average of the controllers' plans for it, feasible because demand, capacity
//! and routing constraints are convex. Before its first re-plan, controller `k` follows a plan made
//! at the first hour over the `k` hours from there.
//!
//! A plan made on forecasts serves the forecast demand, not the demand that comes: each
//! controller's plan for the present hour is applied as shares, each gateway's demand split over
//! the data centers as planned ([`allocation::from_shares`]: flows over a capacity scaled down,
//! what is left served at the lowest energy price). With perfect forecasts that is the plan.
//!
//! Each plan is a window LP as `rhc`'s ([`super::rhc`]): the regions' actual totals so far, scaled
//! to the window, and the window's forecast hours, solved by the certified offline solver. One
//! controller re-plans each hour (all of them at hour 0), so `afhc` costs about what `rhc` does.
//!
//! Parameters: `[policy.afhc] window` (hours of lookahead, default 24). `afhc` with window `w`
//! sees as far ahead as `rhc` with window `w + 1` (whose window counts the hours planned).

use super::Policy;
use super::rhc::{Params, WindowPlanner};
use crate::error::PolicyError;
use crate::model::allocation::{self, Allocation};
use crate::model::{Fleet, HourInputs, Problem};

/// The registry's parameter check (as `rhc`'s).
pub use super::rhc::resolve_params;

/// The registry's build function.
pub fn build(problem: &Problem, params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    let params = Params::from_table(params).map_err(PolicyError::Other)?;
    Ok(Box::new(Afhc::new(problem, params.window)))
}

/// Averaging fixed-horizon control.
pub struct Afhc {
    fleet: Fleet,
    planner: WindowPlanner,
    period: usize,
    /// Per controller: the hour its plan starts, and the plan.
    plans: Vec<(usize, Vec<Allocation>)>,
    /// The first hour decided (controllers re-plan at hours counted from it).
    origin: usize,
}

impl Afhc {
    /// `window + 1` controllers over `problem`'s forecasts.
    pub fn new(problem: &Problem, window: usize) -> Afhc {
        // Plans past the horizon would be cut short all alike: no more controllers than hours.
        let period = (window + 1).min(problem.n_hours().max(1));
        Afhc {
            fleet: problem.fleet.clone(),
            planner: WindowPlanner::new(problem, period),
            period,
            plans: Vec::new(),
            origin: 0,
        }
    }

    /// Each controller's plan for hour `t`, as planned (on forecasts).
    pub fn controllers(&self, t: usize) -> Vec<&Allocation> {
        self.plans
            .iter()
            .filter_map(|(start, plan)| plan.get(t - start))
            .collect()
    }

    /// Each controller's plan for `hour`, applied to its actual demand.
    pub fn applied(&self, hour: &HourInputs) -> Result<Vec<Allocation>, PolicyError> {
        let energy = hour.unit_prices(
            1.0,
            &vec![0.0; self.fleet.dcs.len()],
            &vec![0.0; self.fleet.dcs.len()],
        );
        self.controllers(hour.hour)
            .into_iter()
            .map(|plan| Ok(allocation::from_shares(plan.flows_mw(), &energy, hour.demand_mw, &self.fleet)?.0))
            .collect()
    }
}

impl Policy for Afhc {
    fn name(&self) -> &str {
        "afhc"
    }

    fn notes(&self) -> Vec<String> {
        vec![self.planner.note("afhc")]
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, PolicyError> {
        let t = hour.hour;
        if self.plans.is_empty() {
            let planner = &mut self.planner;
            self.origin = t;
            self.plans = (0..self.period)
                .map(|k| Ok((t, planner.plan_for(t, if k == 0 { self.period } else { k })?)))
                .collect::<Result<_, PolicyError>>()?;
        } else if t > self.origin {
            let k = (t - self.origin) % self.period;
            self.plans[k] = (t, self.planner.plan_for(t, self.period)?);
        }
        let applied = self.applied(hour)?;
        let allocation = Allocation::mean(&applied.iter().collect::<Vec<_>>())
            .ok_or_else(|| PolicyError::Other(format!("no controller's plan covers hour {t}")))?;
        self.planner.record(hour, &allocation);
        Ok(allocation)
    }
}
