//! The simulation loop: build a policy, ask it for every hour's allocation, check each one, and
//! keep the per-data-center loads.

use crate::error::{Error, Result};
use crate::policy;
use crate::problem::Problem;
use crate::scenario::OnlineParams;

/// What one policy did over the horizon.
#[derive(Debug, Clone)]
pub struct PolicyRun {
    /// The policy's name.
    pub policy: String,
    /// Load of each data center in each hour, MW, hour-major.
    pub loads_mw: Vec<Vec<f64>>,
    /// Lines the policy wants recorded in the manifest.
    pub notes: Vec<String>,
    /// Wall-clock seconds to build and run the policy (goes to `timings.csv` only).
    pub seconds: f64,
}

/// Runs policy `name` over every hour of `problem`; calls `on_hour` after each hour.
pub fn run_policy(
    name: &str,
    problem: &Problem,
    online: &OnlineParams,
    mut on_hour: impl FnMut(),
) -> Result<PolicyRun> {
    let start = std::time::Instant::now();
    let mut policy = policy::build(name, problem, online)?;
    let mut loads_mw = Vec::with_capacity(problem.n_hours());
    for t in 0..problem.n_hours() {
        let hour = problem.hour(t);
        let fail = |msg: String| Error::Policy {
            policy: name.to_string(),
            msg: format!("hour {}: {msg}", problem.hours[t]),
        };
        let allocation = policy.decide(&hour).map_err(fail)?;
        allocation.check(&problem.fleet, hour.demand_mw).map_err(fail)?;
        loads_mw.push(allocation.dc_loads_mw());
        on_hour();
    }
    Ok(PolicyRun {
        policy: name.to_string(),
        loads_mw,
        notes: policy.notes(),
        seconds: start.elapsed().as_secs_f64(),
    })
}
