//! One function per subcommand: read the arguments, call the library, print what happened.

use std::path::PathBuf;

use super::terminal;
use super::{CheckArgs, MergeArgs, PlotArgs, ReportArgs, RunArgs, SweepArgs};
use crate::build::{self, TraceCache};
use crate::error::Result;
use crate::output::{Recorded, RunResults};
use crate::policy;
use crate::scenario::Scenario;
use crate::sim::{self, PolicyRun};
use crate::sweep::{self, Axis, Shard, SweepOptions, SweepPlan};

/// `fairglb run`: everything is computed before anything is written.
pub fn run(args: &RunArgs) -> Result<()> {
    let (scenario, names, outputs) = match &args.from {
        Some(manifest) => {
            let recorded = Recorded::read(manifest)?;
            let names = policy::select(&recorded.policies)?;
            (recorded.scenario, names, Some(recorded.outputs))
        }
        None => (
            Scenario::load(&args.scenario, &args.set)?,
            policy::select(&args.policy)?,
            args.outputs,
        ),
    };
    let problem = build::problem(&scenario)?;
    policy::precheck(&names, &problem)?;
    let bar = terminal::progress_bar(
        (names.len() * problem.n_hours()) as u64,
        "{msg:>18} [{bar:30}] {pos}/{len} policy-hours ({eta})",
    );
    let runs = names
        .iter()
        .map(|name| {
            bar.set_message(name.to_string());
            sim::run_named(name, &problem, scenario.params(name), &mut || bar.inc(1))
        })
        .collect::<Result<Vec<PolicyRun>>>();
    bar.finish_and_clear();
    let runs = runs?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&scenario.name));
    let mut results = RunResults::new(&scenario, &problem, &runs).with_command_line(command_line());
    if let Some(outputs) = outputs {
        results = results.with_outputs(outputs);
    }
    results.write(&out)?;
    print!("{}", terminal::summary_table(&results));
    println!(
        "{} hours, routing {}, {} data centers; results in {}{}",
        problem.n_hours(),
        problem.fleet.routing.kind.name(),
        problem.fleet.dcs.len(),
        out.display(),
        terminal::outputs_note(results.outputs())
    );
    Ok(())
}

/// The program's arguments as typed, the program named `fairglb` wherever it lives.
fn command_line() -> Vec<String> {
    std::iter::once("fairglb".to_string())
        .chain(std::env::args().skip(1))
        .collect()
}

/// `fairglb sweep`: expand and validate every run, then run what is not finished yet.
pub fn sweep(args: &SweepArgs) -> Result<()> {
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
    let bar = terminal::progress_bar(0, "sweep [{bar:30}] {pos}/{len} runs, {per_sec}, ETA {eta}");
    let outcome = sweep::run(&plan, &options, &|event| match event {
        sweep::Progress::Start { runs } => bar.set_length(runs as u64),
        sweep::Progress::Finished => bar.inc(1),
    });
    bar.finish_and_clear();
    let outcome = outcome?;
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

/// `fairglb merge`: join shard folders into one sweep.
pub fn merge(args: &MergeArgs) -> Result<()> {
    let runs = sweep::merge(&args.shards, &args.out)?;
    println!(
        "merged {} shard folders: {runs} runs; results in {}",
        args.shards.len(),
        args.out.display()
    );
    Ok(())
}

/// `fairglb traces check`: load and validate the traces, print their statistics.
pub fn traces_check(args: &CheckArgs) -> Result<()> {
    let scenario = Scenario::load(&args.scenario, &args.set)?;
    let mut cache = TraceCache::default();
    cache.preload(&scenario)?;
    let (problem, sites) = cache.problem_and_sites(&scenario)?;
    print!("{}", terminal::traces_table(&scenario, &problem));
    print!("{}", terminal::routing_table(&scenario, &problem.fleet));
    if let Some(sites) = sites {
        print!("{}", terminal::physics_table(&sites, problem.n_hours()));
    }
    Ok(())
}

/// `fairglb plot`: draw the figures, print their paths.
pub fn plot(args: &PlotArgs) -> Result<()> {
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

/// `fairglb report`: write the HTML report, print its path.
pub fn report(args: &ReportArgs) -> Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.results[0].join("report.html"));
    crate::report::report(&args.results, &out, args.policy.as_deref())?;
    println!("{}", out.display());
    Ok(())
}
