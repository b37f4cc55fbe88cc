//! `eglb-online`'s dimensionless step: its default lands within 2 percentage points of the best
//! step found by a sweep (dimensionless and absolute steps alike) on the paper, the year with full
//! and with latency routing, and the paper with every capacity and demand times 1,000; and scaling
//! a fleet leaves its dual path, hence its gap, unchanged.

use fairglb::metrics;
use fairglb::model::Problem;
use fairglb::policy::OnlineParams;

use crate::util::repo;

fn problem(scenario: &str, overrides: &[String]) -> Problem {
    fairglb::build::load(&repo().join(scenario), overrides).unwrap().1
}

/// The paper with every capacity and every gateway's demand times 1,000.
fn paper_times_1000() -> Vec<String> {
    (0..10)
        .flat_map(|i| {
            [
                format!("dc.{i}.capacity_mw=1000.0"),
                format!("gateway.{i}.demand_scale_mw=1000.0"),
            ]
        })
        .collect()
}

/// eglb-online's relative gap to the optimum with the given parameters.
fn gap(problem: &Problem, optimum: f64, params: &str) -> f64 {
    let params: toml::Table = params.parse().unwrap();
    let run = fairglb::sim::run_named("eglb-online", problem, &params, &mut || {}).unwrap();
    metrics::objective_usd(problem, &run.loads_mw) / optimum - 1.0
}

/// The default's gap and the best gap of a sweep over dimensionless and absolute steps.
fn default_and_best(problem: &Problem) -> (f64, f64) {
    let optimum = fairglb::solver::offline::solve(problem)
        .unwrap()
        .certificate
        .objective_usd;
    let default = gap(problem, optimum, "");
    let dimensionless = [0.1, 0.3, 3.0, 10.0].map(|s| format!("step = {s}"));
    let absolute = [1e-7, 1e-6, 1e-5, 1e-4, 1e-3].map(|s| format!("step_size = {s:e}"));
    let best = dimensionless
        .iter()
        .chain(&absolute)
        .map(|params| gap(problem, optimum, params))
        .fold(default, f64::min);
    (default, best)
}

#[test]
fn the_default_step_is_near_the_best_on_four_fleets() {
    let year = "scenarios/global-2022.toml";
    let cases = [
        ("paper", problem("scenarios/paper.toml", &[])),
        (
            "paper x 1000",
            problem("scenarios/paper.toml", &paper_times_1000()),
        ),
        ("year, latency routing", problem(year, &[])),
        (
            "year, full routing",
            problem(year, &["routing=\"full\"".to_string()]),
        ),
    ];
    let mut gaps = Vec::new();
    for (name, problem) in &cases {
        let (default, best) = default_and_best(problem);
        println!(
            "{name}: default step {:?}: gap {default:.4}, best of the sweep {best:.4}",
            OnlineParams::default().step
        );
        assert!(
            default - best <= 0.02,
            "{name}: default gap {default} vs best {best}"
        );
        gaps.push(default);
    }
    // Dimensionless: the fleet a thousand times larger follows the same dual path.
    assert!(
        (gaps[0] - gaps[1]).abs() < 1e-6,
        "paper {} vs x 1000 {}",
        gaps[0],
        gaps[1]
    );
}

/// An absolute step is not rescaled: the paper x 1000 with the paper's old step of 1e-4 (1/USD)
/// is far from its optimum, while the dimensionless default is not.
#[test]
fn an_absolute_step_depends_on_the_fleet_size() {
    let problem = problem("scenarios/paper.toml", &paper_times_1000());
    let optimum = fairglb::solver::offline::solve(&problem)
        .unwrap()
        .certificate
        .objective_usd;
    let absolute = gap(&problem, optimum, "step_size = 1e-4");
    let default = gap(&problem, optimum, "");
    assert!(
        absolute > default + 0.05,
        "absolute {absolute} vs dimensionless {default}"
    );
}
