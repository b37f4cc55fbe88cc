//! A policy defined outside the crate, run through the same checks, metrics and output writers as
//! the built-ins, beside `min-cost` and `eglb-offline` on the paper scenario. `fairglb plot` and
//! `fairglb report` then draw its results folder like any other (in grey: no registry colour).
//!
//! `cargo run --release --example custom_policy [OUT]` (default `results/custom-policy`)

use std::path::Path;

use fairglb::error::{Error, PolicyError};
use fairglb::model::allocation::{self, Allocation};
use fairglb::model::{Fleet, HourInputs};
use fairglb::output::RunResults;
use fairglb::policy::Policy;

/// Every hour, fills the data centers that have used the least water so far first, as far as
/// capacity and routing allow.
pub struct LeastWaterSoFar {
    fleet: Fleet,
    water_l: Vec<f64>,
}

impl LeastWaterSoFar {
    /// Starts with no water used anywhere (knowing only the fleet: no future information).
    pub fn new(fleet: &Fleet) -> LeastWaterSoFar {
        LeastWaterSoFar {
            fleet: fleet.clone(),
            water_l: vec![0.0; fleet.dcs.len()],
        }
    }
}

impl Policy for LeastWaterSoFar {
    fn name(&self) -> &str {
        "least-water-so-far"
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, PolicyError> {
        // The cheapest allocation at "prices" equal to the running totals fills in their order.
        let allocation = allocation::cheapest(&self.water_l, hour.demand_mw, &self.fleet)?;
        for (d, load_mw) in allocation.dc_loads_mw().into_iter().enumerate() {
            self.water_l[d] += load_mw * 1000.0 * hour.water_l_per_kwh[d];
        }
        Ok(allocation)
    }
}

/// Runs `min-cost`, `eglb-offline` and the custom policy on `scenario` and writes the results
/// folder `out`.
pub fn write_results(scenario: &Path, out: &Path) -> Result<(), Error> {
    let (scenario, problem) = fairglb::load(scenario, &[])?;
    let mut runs = Vec::new();
    for name in ["min-cost", "eglb-offline"] {
        runs.push(fairglb::sim::run_named(
            name,
            &problem,
            scenario.params(name),
            &mut || {},
        )?);
    }
    let mut custom = LeastWaterSoFar::new(&problem.fleet);
    runs.push(fairglb::sim::run(&problem, &mut custom)?);
    RunResults::new(&scenario, &problem, &runs).write(out)
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "results/custom-policy".into());
    match write_results("scenarios/paper.toml".as_ref(), out.as_ref()) {
        Ok(()) => println!("results in {out}; draw them with `fairglb plot {out}`"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
