//! The command line: clap definitions (their doc comments are the `--help` text) and one function
//! per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::Result;
use crate::output::Report;
use crate::policy;
use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::sim::{self, PolicyRun};
use crate::traces;

/// Equity-aware geographical load balancing of AI inference: simulate where the carbon and water
/// footprints of serving a model land, under equity-oblivious and equity-aware policies.
#[derive(Debug, Parser)]
#[command(name = "fairglb", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run policies on a scenario and write regions.csv, hourly.csv, summary.csv, timings.csv and
    /// manifest.json.
    Run(RunArgs),
}

/// Arguments of `fairglb run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    #[arg(default_value = "scenarios/paper.toml")]
    pub scenario: PathBuf,
    /// Override a scenario key by dotted path, e.g. `--set equity.water_usd_per_m3=100`,
    /// `--set routing=partial`, `--set horizon.hours=168`, `--set dc.0.capacity_mw=2`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only this policy (repeatable; default: all). One of: nearest, min-cost, min-carbon,
    /// min-water, cost-carbon, cost-water-carbon, eglb-offline, eglb-online.
    #[arg(long = "policy", value_name = "NAME")]
    pub policy: Vec<String>,
    /// Output folder (default: results/<scenario name>/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run_scenario(&args),
    }
}

/// Reads a scenario with overrides, its traces, and builds its problem.
pub fn load(path: &std::path::Path, overrides: &[String]) -> Result<(Scenario, Problem)> {
    let scenario = Scenario::load(path, overrides)?;
    let dc = traces::read_dc_traces(&scenario.raw.traces.dc_hourly)?;
    let workload = traces::read_workload(&scenario.raw.traces.workload, &scenario.raw.workload.column)?;
    let problem = Problem::from_scenario(&scenario, &dc, &workload)?;
    Ok((scenario, problem))
}

/// `fairglb run`: everything is computed before anything is written.
fn run_scenario(args: &RunArgs) -> Result<()> {
    let names = selected_policies(&args.policy)?;
    let (scenario, problem) = load(&args.scenario, &args.set)?;
    let runs = run_with_progress(&names, &scenario, &problem)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&scenario.raw.name));
    let report = Report {
        scenario: &scenario,
        problem: &problem,
        runs: &runs,
    };
    report.write(&out)?;
    print!("{}", report.table());
    println!(
        "{} hours, routing {}, {} data centers; results in {}",
        problem.n_hours(),
        problem.fleet.routing.kind.name(),
        problem.fleet.dcs.len(),
        out.display()
    );
    Ok(())
}

/// The policies to run, in the registry's order; all if none is named.
fn selected_policies(requested: &[String]) -> Result<Vec<&'static str>> {
    for name in requested {
        policy::check_name(name)?;
    }
    Ok(policy::NAMES
        .into_iter()
        .filter(|n| requested.is_empty() || requested.iter().any(|r| r == n))
        .collect())
}

fn run_with_progress(names: &[&str], scenario: &Scenario, problem: &Problem) -> Result<Vec<PolicyRun>> {
    let bar = ProgressBar::new((names.len() * problem.n_hours()) as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>18} [{bar:30}] {pos}/{len} policy-hours ({eta})")
            .expect("the template is valid")
            .progress_chars("=> "),
    );
    let runs = names
        .iter()
        .map(|name| {
            bar.set_message(name.to_string());
            sim::run_policy(name, problem, &scenario.raw.online, || bar.inc(1))
        })
        .collect();
    bar.finish_and_clear();
    runs
}
