//! One function per subcommand: read the arguments, call the library, print what happened.

use std::path::PathBuf;

use rayon::prelude::*;

use super::terminal;
use super::{CheckArgs, InitArgs, MergeArgs, PlotArgs, ReportArgs, RunArgs, SweepArgs};
use crate::build::{self, TraceCache};
use crate::error::Result;
use crate::output::{Recorded, RunResults};
use crate::policy;
use crate::scenario::{Intensities, Scenario};
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
            Scenario::load(scenario_file(&args.scenario)?, &args.set)?,
            policy::select(&args.policy)?,
            args.outputs,
        ),
    };
    let problem = build::problem(&scenario)?;
    policy::precheck(&names, &problem)?;
    let bar = terminal::Progress::new(
        (names.len() * problem.n_hours()) as u64,
        "{msg:>18} [{bar:30}] {pos}/{len} policy-hours ({eta})",
        "policy-hours",
    );
    let pool = sweep::thread_pool(args.threads)?;
    let runs = pool.install(|| {
        names
            .par_iter()
            .map(|name| {
                bar.set_message(name.to_string());
                sim::run_named(name, &problem, scenario.params(name), &mut || bar.inc())
            })
            .collect::<Result<Vec<PolicyRun>>>()
    });
    bar.finish();
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
    terminal::say(&terminal::summary_table(&results));
    terminal::say(&format!(
        "{} hours, routing {}, {} data centers; results in {}{}\n",
        problem.n_hours(),
        problem.fleet.routing.kind.name(),
        problem.fleet.dcs.len(),
        out.display(),
        terminal::outputs_note(results.outputs())
    ));
    Ok(())
}

/// `fairglb init`: write the shipped scenarios and traces into a new study folder.
pub fn init(args: &InitArgs) -> Result<()> {
    let (files, bytes) = crate::shipped::init(&args.dir)?;
    terminal::say(&format!(
        "wrote {files} files ({:.1} MB: scenarios/ and traces/) into {}; next: cd {} && fairglb run\n",
        bytes as f64 / 1e6,
        args.dir.display(),
        args.dir.display()
    ));
    Ok(())
}

/// `path` if it exists; the default scenario missing (fairglb run outside a checkout or study
/// folder) is an error saying how to get one.
fn scenario_file(path: &std::path::Path) -> Result<&std::path::Path> {
    if path.exists() || path != std::path::Path::new(super::DEFAULT_SCENARIO) {
        return Ok(path);
    }
    Err(crate::error::Error::file(
        path,
        "not found here (no scenario named, and this folder is not a fairglb checkout or study): \
         `fairglb init DIR` writes the shipped scenarios and traces into DIR, then `cd DIR && fairglb run`; \
         or name a scenario file",
    ))
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
    let bar = terminal::Progress::new(
        0,
        "sweep [{bar:30}] {pos}/{len} runs, {per_sec}, ETA {eta}",
        "runs",
    );
    let outcome = sweep::run(&plan, &options, &|event| match event {
        sweep::Progress::Start { runs } => bar.set_length(runs as u64),
        sweep::Progress::Finished => bar.inc(),
    });
    bar.finish();
    let outcome = outcome?;
    terminal::say(&format!(
        "sweep {}: {} runs x {} policies; shard {}/{}: {} runs, {} already finished, {} run now; results in {}\n",
        info.sweep_id,
        info.runs,
        info.policies.len(),
        shard.index,
        shard.count,
        outcome.in_shard,
        outcome.skipped,
        outcome.ran,
        out.join("sweep.csv").display()
    ));
    Ok(())
}

/// `fairglb merge`: join shard folders into one sweep.
pub fn merge(args: &MergeArgs) -> Result<()> {
    let runs = sweep::merge(&args.shards, &args.out)?;
    terminal::say(&format!(
        "merged {} shard folders: {runs} runs; results in {}\n",
        args.shards.len(),
        args.out.display()
    ));
    Ok(())
}

/// `fairglb traces check`: load and validate the traces, print their statistics.
pub fn traces_check(args: &CheckArgs) -> Result<()> {
    let scenario = Scenario::load(scenario_file(&args.scenario)?, &args.set)?;
    let mut cache = TraceCache::default();
    cache.preload(&scenario)?;
    let (problem, sites) = cache.problem_and_sites(&scenario)?;
    terminal::say(&terminal::traces_table(&scenario, &problem));
    terminal::say(&terminal::routing_table(&scenario, &problem.fleet));
    if let Some(sites) = sites {
        terminal::say(&terminal::physics_table(&sites, problem.n_hours()));
    }
    let physical = match &scenario.intensities {
        Intensities::Physical(spec) => cache.physical(&scenario).map(|traces| (spec, traces)),
        Intensities::Precomputed { .. } => None,
    };
    if let Some((spec, traces)) = physical
        && let Some(fuel_mix) = &traces.fuel_mix
    {
        let alignments = crate::build::quality::alignment(&scenario, spec, traces);
        let file = fuel_mix.path.display().to_string();
        terminal::say(&terminal::alignment_table(&file, &alignments));
        terminal::say(&terminal::anomalies_table(
            &problem.trace_anomalies,
            spec.anomalies,
        ));
    }
    Ok(())
}

/// `fairglb plot`: draw the figures, print their paths.
pub fn plot(args: &PlotArgs) -> Result<()> {
    let options = args.figures.options();
    let written = crate::plot::plot(&args.results, args.out.as_deref(), args.format, &options)?;
    for path in written {
        terminal::say(&format!("{}\n", path.display()));
    }
    Ok(())
}

/// `fairglb report`: write the HTML report, print its path.
pub fn report(args: &ReportArgs) -> Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.results[0].join("report.html"));
    crate::report::report(&args.results, &out, &args.figures.options())?;
    terminal::say(&format!("{}\n", out.display()));
    Ok(())
}
