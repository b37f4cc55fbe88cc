//! The simulation loop: ask a policy for every hour's allocation, check each one, and keep the
//! per-data-center loads. [`run`] takes any [`Policy`], built in the crate or outside it;
//! [`run_named`] builds a registered one first.

use crate::error::{Error, PolicyError, Result};
use crate::model::Problem;
use crate::model::allocation::Flow;
use crate::policy::{self, Policy};

/// What one policy did over the horizon.
#[derive(Debug, Clone)]
pub struct PolicyRun {
    /// The policy's name.
    pub policy: String,
    /// Load of each data center in each hour, MW, hour-major.
    pub loads_mw: Vec<Vec<f64>>,
    /// Each hour's flows from gateways to data centers (the pairs that carry load).
    pub flows: Vec<Vec<Flow>>,
    /// Lines the policy wants recorded in the manifest.
    pub notes: Vec<String>,
    /// Wall-clock seconds to build and run the policy (goes to `timings.csv` only).
    pub seconds: f64,
}

/// Runs `policy` over every hour of `problem`, checking every allocation (demand served,
/// capacity and routing respected).
pub fn run(problem: &Problem, policy: &mut dyn Policy) -> Result<PolicyRun> {
    run_observed(problem, policy, &mut || {})
}

/// [`run`], calling `on_hour` after each hour (for progress bars).
pub fn run_observed(
    problem: &Problem,
    policy: &mut dyn Policy,
    on_hour: &mut dyn FnMut(),
) -> Result<PolicyRun> {
    let start = std::time::Instant::now();
    let name = policy.name().to_string();
    let mut loads_mw = Vec::with_capacity(problem.n_hours());
    let mut flows = Vec::with_capacity(problem.n_hours());
    for t in 0..problem.n_hours() {
        let hour = problem.hour(t);
        let fail = |e: PolicyError| Error::policy(&name, Some(&problem.hours[t]), e);
        let allocation = policy.decide(&hour).map_err(fail)?;
        allocation
            .check(&problem.fleet, hour.demand_mw)
            .map_err(|e| fail(e.into()))?;
        loads_mw.push(allocation.dc_loads_mw());
        flows.push(allocation.flows());
        on_hour();
    }
    Ok(PolicyRun {
        policy: name,
        loads_mw,
        flows,
        notes: policy.notes(),
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Builds the registered policy `name` with its parameters `params` and runs it; the time
/// recorded includes building (where `eglb-offline` solves).
pub fn run_named(
    name: &str,
    problem: &Problem,
    params: &toml::Table,
    on_hour: &mut dyn FnMut(),
) -> Result<PolicyRun> {
    let start = std::time::Instant::now();
    let mut policy = policy::build(name, problem, params)?;
    let mut run = run_observed(problem, policy.as_mut(), on_hour)?;
    run.policy = name.to_string();
    run.seconds = start.elapsed().as_secs_f64();
    Ok(run)
}
