//! Receding-horizon and averaging fixed-horizon control: `rhc` with perfect forecasts and a
//! window reaching the end of the horizon replays the offline optimum; `afhc`'s allocations are
//! feasible and the average of its controllers' plans (applied to the demand that comes); with
//! perfect forecasts, the plans as made.

use fairglb::metrics;
use fairglb::model::allocation::Allocation;
use fairglb::policy::{Afhc, Policy};

use crate::util::*;

fn paper(overrides: &[&str]) -> fairglb::model::Problem {
    let overrides: Vec<String> = overrides.iter().map(|o| o.to_string()).collect();
    fairglb::build::load(&repo().join("scenarios/paper.toml"), &overrides)
        .unwrap()
        .1
}

#[test]
fn rhc_over_the_whole_horizon_with_perfect_forecasts_is_the_offline_optimum() {
    for routing in ["full", "partial"] {
        let problem = paper(&["horizon.hours=48", &format!("routing=\"{routing}\"")]);
        let objective = |name: &str, params: &str| {
            let params: toml::Table = params.parse().unwrap();
            let run = fairglb::sim::run_named(name, &problem, &params, &mut || {}).unwrap();
            metrics::objective_usd(&problem, &run.loads_mw)
        };
        let offline = objective("eglb-offline", "");
        let rhc = objective("rhc", "window = 48");
        assert_close(
            rhc,
            offline,
            1e-6,
            &format!("rhc with the whole horizon ({routing} routing)"),
        );
        // A shorter window costs more, and no window beats the optimum.
        let short = objective("rhc", "window = 6");
        assert!(short >= offline * (1.0 - 1e-9), "{short} < {offline}");
        assert!(
            short > offline * (1.0 + 1e-6),
            "a 6-hour window should not find the optimum"
        );
    }
}

#[test]
fn afhc_with_perfect_forecasts_averages_the_plans_as_made() {
    let problem = paper(&["horizon.hours=20"]);
    let mut afhc = Afhc::new(&problem, 2);
    for t in 0..problem.n_hours() {
        let hour = problem.hour(t);
        let allocation = afhc.decide(&hour).unwrap();
        let planned = afhc.controllers(t);
        let mean = Allocation::mean(&planned).unwrap();
        let gap = allocation
            .flows_mw()
            .iter()
            .zip(mean.flows_mw())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(gap < 1e-9, "hour {t}: {gap} MW from the mean of the plans");
    }
}

#[test]
fn afhc_averages_its_controllers_into_feasible_allocations() {
    let problem = paper(&[
        "horizon.hours=30",
        "forecast.model=\"noisy\"",
        "forecast.sigma=0.2",
    ]);
    let window = 3;
    let mut afhc = Afhc::new(&problem, window);
    for t in 0..problem.n_hours() {
        let hour = problem.hour(t);
        let allocation = afhc.decide(&hour).unwrap();
        allocation.check(&problem.fleet, hour.demand_mw).unwrap();
        let applied = afhc.applied(&hour).unwrap();
        assert_eq!(applied.len(), window + 1, "hour {t}: every controller has a plan");
        for plan in &applied {
            plan.check(&problem.fleet, hour.demand_mw).unwrap();
        }
        assert_eq!(
            Some(allocation),
            Allocation::mean(&applied.iter().collect::<Vec<_>>()),
            "hour {t}"
        );
        if t > 0 {
            assert!(
                applied.windows(2).any(|w| w[0] != w[1]),
                "hour {t}: the controllers' plans should differ under noisy forecasts"
            );
        }
    }
}
