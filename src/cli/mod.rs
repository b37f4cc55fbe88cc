//! The command line: clap definitions (their doc comments are the `--help` text), dispatched to
//! one function per subcommand in [`commands`]; everything drawn on the terminal (tables,
//! progress bars) is in [`terminal`]. Exit codes: 0 on success, 2 on any error.

mod commands;
mod terminal;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::Result;
use crate::output::Outputs;
use crate::plot::{Format, Width};
use crate::policy;
use crate::sweep::Shard;

/// Equity-aware geographical load balancing of AI inference: simulate where the carbon and water
/// footprints of serving a model land, under equity-oblivious and equity-aware policies.
#[derive(Debug, Parser)]
#[command(name = "fairglb", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but errors: no progress, no summary.
    #[arg(long, global = true)]
    pub quiet: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run policies on a scenario and write regions.csv, summary.csv, demand.csv, intensity.csv,
    /// routes.csv, hourly.csv and flows.csv (see --outputs), timings.csv and manifest.json.
    Run(RunArgs),
    /// Run a parameter sweep (the scenario's [sweep] table and --axis) and write sweep.csv,
    /// sweep.json and .journal/ (and runs/ with --keep-runs); rerunning the same command resumes it.
    Sweep(SweepArgs),
    /// Merge the output folders of `fairglb sweep --shard K/N` into one folder's sweep.csv and
    /// sweep.json.
    Merge(MergeArgs),
    /// Inspect a scenario's traces.
    #[command(subcommand)]
    Traces(TracesCommand),
    /// Draw the standard figures from a results folder (of `fairglb run` or `fairglb sweep`) and
    /// write them into figures/ (PNG and/or SVG).
    Plot(PlotArgs),
    /// Write one self-contained report.html (figures inline as SVG, summary, manifest) for one or
    /// more results folders.
    Report(ReportArgs),
    /// Start a study anywhere: write the shipped scenarios/ and traces/ (which the binary
    /// carries) into a new folder DIR, so `cd DIR && fairglb run` works outside the repository.
    Init(InitArgs),
}

/// The scenario `run` and `traces check` read when none is named.
pub const DEFAULT_SCENARIO: &str = "scenarios/paper.toml";

/// Arguments of `fairglb init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new study folder (must not exist, or be empty).
    pub dir: PathBuf,
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
    /// The figures' options.
    #[command(flatten)]
    pub figures: FigureArgs,
}

/// What the figures of `plot` and `report` show, and at what size.
#[derive(Debug, Args)]
pub struct FigureArgs {
    /// The policy of the hourly load figure (default: eglb-offline if it ran, else the first).
    #[arg(long, value_name = "NAME", long_help = load_policy_help())]
    pub policy: Option<String>,
    /// Printed width: a single column (3.5 in) or a double one (7 in), at 300 dpi; text is 7 pt or larger either way.
    #[arg(long, value_enum, default_value_t = Width::Single)]
    pub width: Width,
    /// Panels of hourly values end a quarter of their range above this quantile of the values; spikes above are drawn at the top edge, marked with a triangle. 1 draws everything.
    #[arg(long, value_name = "Q", default_value_t = 0.995, value_parser = quantile)]
    pub clip_quantile: f64,
    /// Label each point of a weight sweep's tradeoff figure with its axis values.
    #[arg(long)]
    pub label_points: bool,
    /// The sweep axis of the metric figure (default: the first axis that is not an equity weight).
    #[arg(long, value_name = "KEY")]
    pub x: Option<String>,
    /// A sweep.csv column for the metric figure, one figure each (default: gap_to_offline, water_par, carbon_par).
    #[arg(long, value_name = "COLUMN")]
    pub y: Vec<String>,
}

impl FigureArgs {
    /// The drawing options these arguments choose.
    pub fn options(&self) -> crate::plot::Options {
        crate::plot::Options {
            width: self.width,
            clip_quantile: self.clip_quantile,
            label_points: self.label_points,
            load_policy: self.policy.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
        }
    }
}

/// A quantile in (0, 1].
fn quantile(text: &str) -> std::result::Result<f64, String> {
    match text.parse::<f64>() {
        Ok(q) if q > 0.0 && q <= 1.0 => Ok(q),
        _ => Err(format!(
            "`{text}` is not a quantile in (0, 1] (e.g. 0.995; 1 clips nothing)"
        )),
    }
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
    /// The figures' options.
    #[command(flatten)]
    pub figures: FigureArgs,
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
    /// Add an axis (or replace the file's axis with this key): a list `KEY=V1,V2,...` or a range
    /// `KEY=FROM:TO:STEPS[:log]` (STEPS values, endpoints exact). Repeatable.
    #[arg(long = "axis", value_name = "KEY=V1,V2,...|KEY=FROM:TO:STEPS[:log]")]
    pub axis: Vec<String>,
    /// Override a scenario key in every run, as for `fairglb run`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only this policy in every run (repeatable; default: the [sweep] table's `policies`, or all).
    #[arg(long = "policy", value_name = "NAME", long_help = policy_help())]
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
    #[arg(default_value = DEFAULT_SCENARIO)]
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
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: PathBuf,
    /// Override a scenario key by dotted path, e.g. `--set equity.water_usd_per_m3=100`,
    /// `--set routing=partial`, `--set horizon.hours=168`, `--set dc.0.capacity_mw=2`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only this policy (repeatable; default: all but rhc and afhc, which run when named).
    #[arg(long = "policy", value_name = "NAME", long_help = policy_help())]
    pub policy: Vec<String>,
    /// Output folder (default: results/<scenario name>/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The per-hour files to write, comma-separated: `hourly` (hourly.csv), `flows` (flows.csv),
    /// or `none` (default: both for horizons up to a month, 744 hours; `hourly` only beyond).
    /// regions.csv, summary.csv, demand.csv, intensity.csv, routes.csv, timings.csv and
    /// manifest.json are always written.
    #[arg(long, value_name = "LIST", value_parser = Outputs::parse)]
    pub outputs: Option<Outputs>,
    /// Run again what a results folder's manifest.json recorded: the same scenario (as run, with
    /// its overrides), policies and per-hour files, from the same traces (checked by SHA-256), so
    /// every file but timings.csv comes out byte for byte the same (the manifest records the new
    /// command line). Takes no scenario, --set, --policy or --outputs.
    #[arg(long, value_name = "MANIFEST", conflicts_with_all = ["scenario", "set", "policy", "outputs"])]
    pub from: Option<PathBuf>,
    /// Worker threads running policies side by side; 0 = all cores. Results are the same.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
}

/// The long help of `--policy`: the registry's names and descriptions.
fn policy_help() -> String {
    let names: Vec<String> = policy::REGISTRY
        .iter()
        .map(|e| format!("  {:<18} {} ({})", e.name, e.about, e.paper))
        .collect();
    format!(
        "Run only this policy (repeatable; default: all but rhc and afhc, which run when named, or for a sweep the [sweep] table's `policies`). One of:\n{}",
        names.join("\n")
    )
}

/// The long help of plot's and report's `--policy`: any policy of the results, such as the
/// registry's.
fn load_policy_help() -> String {
    format!(
        "The policy of the hourly load figures (default: eglb-offline if it ran, else the first): one of the results' policies, such as {}",
        policy::names().collect::<Vec<_>>().join(", ")
    )
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    terminal::set_quiet(cli.quiet);
    match cli.command {
        Command::Run(args) => commands::run(&args),
        Command::Sweep(args) => commands::sweep(&args),
        Command::Merge(args) => commands::merge(&args),
        Command::Traces(TracesCommand::Check(args)) => commands::traces_check(&args),
        Command::Plot(args) => commands::plot(&args),
        Command::Report(args) => commands::report(&args),
        Command::Init(args) => commands::init(&args),
    }
}
