//! Policies: one trait, one file per policy, and [`build`], the only place that maps names to
//! policies.
//!
//! A policy returns each hour's [`Allocation`] and never changes simulator state. Who sees the
//! future is decided by constructor arguments: hour-by-hour and online policies are built from the
//! [`Fleet`] alone and see one [`HourInputs`] at a time; `eglb-offline` is built from the whole
//! [`Problem`] and replays its optimum.

mod cost_carbon;
mod cost_water_carbon;
mod eglb_offline;
mod eglb_online;
mod min_carbon;
mod min_cost;
mod min_water;
mod nearest;
mod weighted;

pub use eglb_offline::{EglbOffline, OfflineCertificate};
pub use eglb_online::EglbOnline;
pub use weighted::{UnitWeights, Weighted};

use crate::allocation::Allocation;
use crate::error::{Error, Result};
use crate::problem::{Fleet, HourInputs, Problem};
use crate::scenario::OnlineParams;

/// Decides, hour by hour, how much of each gateway's demand each data center serves.
pub trait Policy {
    /// The policy's name, as used on the command line and in outputs.
    fn name(&self) -> &'static str;

    /// The allocation for one hour. The simulator checks it (demand, capacity, routing).
    fn decide(&mut self, hour: &HourInputs) -> std::result::Result<Allocation, String>;

    /// Lines worth recording in the run manifest (e.g. an optimality certificate).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Every policy name, in the order outputs list them.
pub const NAMES: [&str; 8] = [
    "nearest",
    "min-cost",
    "min-carbon",
    "min-water",
    "cost-carbon",
    "cost-water-carbon",
    "eglb-offline",
    "eglb-online",
];

/// Fails with the list of known names if `name` is not a policy.
pub fn check_name(name: &str) -> Result<()> {
    if NAMES.contains(&name) {
        Ok(())
    } else {
        Err(Error::UnknownPolicy {
            name: name.to_string(),
            known: NAMES.join(", "),
        })
    }
}

/// Builds the policy called `name` for `problem`. Offline policies solve here.
pub fn build(name: &str, problem: &Problem, online: &OnlineParams) -> Result<Box<dyn Policy>> {
    check_name(name)?;
    let fleet: &Fleet = &problem.fleet;
    let policy: Box<dyn Policy> = match name {
        "nearest" => Box::new(nearest::Nearest::new(fleet)),
        "min-cost" => Box::new(Weighted::new("min-cost", fleet, min_cost::weights())),
        "min-carbon" => Box::new(Weighted::new("min-carbon", fleet, min_carbon::weights())),
        "min-water" => Box::new(Weighted::new("min-water", fleet, min_water::weights())),
        "cost-carbon" => Box::new(Weighted::new("cost-carbon", fleet, cost_carbon::weights(fleet))),
        "cost-water-carbon" => Box::new(Weighted::new(
            "cost-water-carbon",
            fleet,
            cost_water_carbon::weights(fleet),
        )),
        "eglb-offline" => Box::new(EglbOffline::solve(problem).map_err(|msg| Error::Policy {
            policy: name.into(),
            msg,
        })?),
        "eglb-online" => Box::new(EglbOnline::new(fleet, *online)),
        _ => unreachable!("check_name accepted `{name}`"),
    };
    Ok(policy)
}
