//! The command line: clap definitions (their doc comments are the `--help` text) and one function
//! per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::Result;
use crate::output::Report;
use crate::plot::Format;
use crate::policy;
use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::sim::{self, PolicyRun};
use crate::sweep::{self, Axis, Shard, SweepOptions, SweepPlan};
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
    /// Run a parameter sweep (the scenario's [sweep] table and --axis) and write sweep.csv;
    /// rerunning the same command resumes it.
    Sweep(SweepArgs),
    /// Merge the output folders of `fairglb sweep --shard K/N` into one sweep.csv.
    Merge(MergeArgs),
    /// Inspect a scenario's traces.
    #[command(subcommand)]
    Traces(TracesCommand),
    /// Draw the standard figures from a results folder (of `fairglb run` or `fairglb sweep`).
    Plot(PlotArgs),
    /// Write one self-contained report.html (figures inline as SVG, summary, manifest) for one or
    /// more results folders.
    Report(ReportArgs),
}

/// Arguments of `fairglb report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Results folders (of `fairglb run` or `fairglb sweep`), one report section each.
    #[arg(required = true, value_name = "RESULTS")]
    pub results: Vec<PathBuf>,
    /// Where to write the page (default: the first folder's report.html).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The policy of the hourly load figures (default: eglb-offline if it ran, else the first).
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
}

/// Arguments of `fairglb plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A results folder: regions.csv, summary.csv (hourly.csv, intensity.csv) and/or sweep.csv.
    pub results: PathBuf,
    /// Where to write the figures (default: RESULTS/figures/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Image format.
    #[arg(long, value_enum, default_value_t = Format::Png)]
    pub format: Format,
    /// The policy of the hourly load figure (default: eglb-offline if it ran, else the first).
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
}

/// Arguments of `fairglb sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML) with a [sweep] table, or use --axis.
    pub scenario: PathBuf,
    /// Output folder (default: results/<scenario name>/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads; 0 = all cores.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
    /// Run only part K of N of the run list (K from 1 to N), e.g. for a Slurm job array:
    /// `--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Add an axis (or replace the file's axis with this key): `KEY=V1,V2,...`. Repeatable.
    #[arg(long = "axis", value_name = "KEY=V1,V2,...")]
    pub axis: Vec<String>,
    /// Override a scenario key in every run, as for `fairglb run`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only this policy in every run (repeatable; default: the [sweep] table's `policies`, or all).
    #[arg(long = "policy", value_name = "NAME")]
    pub policy: Vec<String>,
    /// Also keep each run's regions.csv, hourly.csv, summary.csv and manifest.json under runs/.
    #[arg(long)]
    pub keep_runs: bool,
}

/// `fairglb traces` subcommands.
#[derive(Debug, Subcommand)]
pub enum TracesCommand {
    /// Load and validate a scenario's traces; print each data center's coverage and the mean /
    /// min / max of its hourly price, carbon and water intensity, and the demand.
    Check(CheckArgs),
}

/// Arguments of `fairglb traces check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario file (TOML).
    #[arg(default_value = "scenarios/paper.toml")]
    pub scenario: PathBuf,
    /// Override a scenario key, as for `fairglb run`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// Arguments of `fairglb merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard output folders.
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
    /// Where to write the merged sweep.csv and sweep.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

fn parse_shard(text: &str) -> std::result::Result<Shard, String> {
    text.parse()
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
        Command::Sweep(args) => run_sweep(&args),
        Command::Plot(args) => {
            let written = crate::plot::plot(
                &args.results,
                args.out.as_deref(),
                args.format,
                args.policy.as_deref(),
            )?;
            for path in written {
                println!("{}", path.display());
            }
            Ok(())
        }
        Command::Report(args) => {
            let out = args
                .out
                .clone()
                .unwrap_or_else(|| args.results[0].join("report.html"));
            crate::report::report(&args.results, &out, args.policy.as_deref())?;
            println!("{}", out.display());
            Ok(())
        }
        Command::Traces(TracesCommand::Check(args)) => {
            let scenario = Scenario::load(&args.scenario, &args.set)?;
            let mut cache = traces::TraceCache::default();
            cache.preload(&scenario)?;
            let (problem, sites) = cache.problem_and_sites(&scenario)?;
            print!("{}", traces_table(&scenario, &problem));
            if let Some(sites) = sites {
                print!("{}", physics_table(&sites, problem.n_hours()));
            }
            Ok(())
        }
        Command::Merge(args) => {
            let runs = sweep::merge(&args.shards, &args.out)?;
            println!(
                "merged {} shard folders: {runs} runs; results in {}",
                args.shards.len(),
                args.out.display()
            );
            Ok(())
        }
    }
}

/// Reads a scenario with overrides, its traces, and builds its problem.
pub fn load(path: &std::path::Path, overrides: &[String]) -> Result<(Scenario, Problem)> {
    let scenario = Scenario::load(path, overrides)?;
    let mut cache = traces::TraceCache::default();
    cache.preload(&scenario)?;
    let problem = cache.problem(&scenario)?;
    Ok((scenario, problem))
}

/// `fairglb run`: everything is computed before anything is written.
fn run_scenario(args: &RunArgs) -> Result<()> {
    let names = selected_policies(&args.policy)?;
    let (scenario, problem) = load(&args.scenario, &args.set)?;
    if names.contains(&"nearest") {
        problem.check_nearest_feasible()?;
    }
    let runs = run_with_progress(&names, &scenario, &problem)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&scenario.raw.name));
    let report = Report::new(&scenario, &problem, &runs);
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

/// `fairglb sweep`: expand and validate every run, then run what is not finished yet.
fn run_sweep(args: &SweepArgs) -> Result<()> {
    let axes = args
        .axis
        .iter()
        .map(|a| Axis::parse_cli(a))
        .collect::<Result<Vec<_>>>()?;
    let plan = SweepPlan::new(&args.scenario, &args.set, &axes, &args.policy)?;
    let info = plan.info();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&info.scenario));
    let shard = args.shard.unwrap_or(Shard::ALL);
    let options = SweepOptions {
        out: out.clone(),
        threads: args.threads,
        shard,
        keep_runs: args.keep_runs,
    };
    let outcome = sweep::run(&plan, &options)?;
    println!(
        "sweep {}: {} runs x {} policies; shard {}/{}: {} runs, {} already finished, {} run now; results in {}",
        info.sweep_id,
        info.runs,
        info.policies.len(),
        shard.index,
        shard.count,
        outcome.in_shard,
        outcome.skipped,
        outcome.ran,
        out.join("sweep.csv").display()
    );
    Ok(())
}

/// The `traces check` report: coverage, then per-data-center intensity statistics and demand.
fn traces_table(scenario: &Scenario, problem: &Problem) -> String {
    use std::fmt::Write as _;
    let (hours, fleet) = (problem.n_hours(), &problem.fleet);
    let mut out = format!(
        "{}: {} data centers, {} gateways, {hours} hours from {} to {} (hourly, gap-free), routing {}\n",
        scenario.raw.name,
        fleet.dcs.len(),
        fleet.gateways.len(),
        problem.hours[0],
        problem.hours[hours - 1],
        fleet.routing.kind.name()
    );
    let _ = writeln!(
        out,
        "{:<14} {:>6}  {:>26}  {:>23}  {:>20}",
        "dc",
        "hours",
        "price USD/MWh mean (min-max)",
        "carbon kg/kWh mean (min-max)",
        "water L/kWh mean (min-max)"
    );
    for (d, [price, carbon, water]) in problem.intensity_stats().iter().enumerate() {
        let _ = writeln!(
            out,
            "{:<14} {:>6}  {:>8.2} ({:>7.2}-{:>7.2})  {:>7.3} ({:.3}-{:.3})  {:>7.2} ({:.2}-{:.2})",
            fleet.dcs[d],
            hours,
            price.mean,
            price.min,
            price.max,
            carbon.mean,
            carbon.min,
            carbon.max,
            water.mean,
            water.min,
            water.max
        );
    }
    let total = crate::problem::Stats::of(problem.demand_mw.iter().map(|h| h.iter().sum::<f64>()));
    let capacity: f64 = fleet.capacity_mw.iter().sum();
    let _ = writeln!(
        out,
        "demand: fleet total {:.3} MW mean ({:.3}-{:.3}) against {capacity:.3} MW of capacity (peak utilisation {:.1} %)",
        total.mean,
        total.min,
        total.max,
        100.0 * total.max / capacity
    );
    if problem.carbon_embodied_kg_per_kwh > 0.0 {
        let _ = writeln!(
            out,
            "carbon includes {:.4} kg/kWh of embodied (server manufacturing) carbon",
            problem.carbon_embodied_kg_per_kwh
        );
    }
    out
}

/// The `traces check` report of a physical scenario: statistics of every derived series over
/// the first `hours` hours, then where each came from.
fn physics_table(sites: &[crate::intensity::Site], hours: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("\nderived from the physical traces, mean (min-max) per data center:\n");
    let _ = writeln!(
        out,
        "{:<14} {:>21} {:>18} {:>18} {:>16} {:>21} {:>24}",
        "dc", "wet bulb C", "WUE L/kWh", "EWIF L/kWh", "PUE", "grid carbon kg/kWh", "price USD/MWh"
    );
    let stats = |v: &[f64]| crate::problem::Stats::of(v[..hours].iter().copied());
    for site in sites {
        let cell = |v: &[f64], digits: usize| {
            let s = stats(v);
            format!("{:.d$} ({:.d$}-{:.d$})", s.mean, s.min, s.max, d = digits)
        };
        let _ = writeln!(
            out,
            "{:<14} {:>21} {:>18} {:>18} {:>16} {:>21} {:>24}",
            site.dc,
            cell(&site.wet_bulb_c, 1),
            cell(&site.wue_l_per_kwh, 2),
            cell(&site.ewif_l_per_kwh, 2),
            cell(&site.pue, 2),
            cell(&site.grid_carbon_kg_per_kwh, 3),
            cell(&site.price_usd_per_mwh, 1),
        );
    }
    out.push_str("sources:\n");
    for site in sites {
        let _ = writeln!(out, "  {}: {}", site.dc, site.sources);
    }
    out
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
