//! No online policy looks ahead further than it may: its decision at hour `t` is the same when the
//! hours after `t` (for an hour-by-hour policy) or after `t + window - 1` (for one that reads
//! forecasts `window` hours ahead) are changed, under every forecast model.

use fairglb::model::Problem;
use fairglb::model::allocation::Allocation;
use fairglb::model::forecast::Forecaster;

use crate::util::*;

/// The allocations of `policy` for hours `0..=last` of `problem`.
fn decisions(policy: &str, problem: &Problem, params: &toml::Table, last: usize) -> Vec<Allocation> {
    let mut policy = fairglb::policy::build(policy, problem, params).unwrap();
    (0..=last)
        .map(|t| policy.decide(&problem.hour(t)).unwrap())
        .collect()
}

/// `problem` with every hour from `first` on changed: intensities scaled up and down by turns,
/// demand halved (so it stays feasible).
fn changed_from(problem: &Problem, first: usize) -> Problem {
    let mut other = problem.clone();
    for t in first..other.n_hours() {
        for (d, v) in other.price_usd_per_mwh[t].iter_mut().enumerate() {
            *v *= if d % 2 == 0 { 3.0 } else { 0.2 };
        }
        for (d, v) in other.water_l_per_kwh[t].iter_mut().enumerate() {
            *v *= if d % 2 == 1 { 4.0 } else { 0.1 };
        }
        other.carbon_kg_per_kwh[t].iter_mut().for_each(|v| *v *= 0.5);
        other.demand_mw[t].iter_mut().for_each(|v| *v *= 0.5);
    }
    other
}

/// The hours after the present a policy may read: none for an hour-by-hour policy, `window - 1`
/// for `rhc`, `window` for `afhc`.
fn lookahead(name: &str, params: &toml::Table) -> usize {
    let window = || params.get("window").and_then(|w| w.as_integer()).unwrap() as usize;
    match name {
        "rhc" => window() - 1,
        "afhc" => window(),
        _ => 0,
    }
}

#[test]
fn no_online_policy_decides_on_hours_it_may_not_know() {
    let paper = repo().join("scenarios/paper.toml");
    for model in ["perfect", "persistence", "noisy"] {
        let mut overrides: Vec<String> = ["horizon.hours=30", "policy.rhc.window=4", "policy.afhc.window=3"]
            .map(String::from)
            .to_vec();
        overrides.push(format!("forecast.model=\"{model}\""));
        if model == "noisy" {
            overrides.push("forecast.sigma=0.3".into());
        }
        let (scenario, problem) = fairglb::build::load(&paper, &overrides).unwrap();
        let hours = problem.n_hours();
        for window in [1, 2, 5, hours] {
            let forecaster = Forecaster::new(&problem, window);
            for t in 0..hours {
                let later = Forecaster::new(&changed_from(&problem, t + window), window);
                assert_eq!(
                    forecaster.ahead(t),
                    later.ahead(t),
                    "{model}: forecasts at {t}, window {window}"
                );
                assert_eq!(forecaster.ahead(t).len(), window.min(hours - t), "{model}");
            }
        }
        for name in fairglb::policy::names().filter(|&n| n != "eglb-offline") {
            let params =
                &(fairglb::policy::entry(name).unwrap().resolve_params)(scenario.params(name)).unwrap();
            let ahead = lookahead(name, params);
            for t in [0, 5, 17, hours - ahead - 2] {
                let later = changed_from(&problem, t + ahead + 1);
                let (a, b) = (
                    decisions(name, &problem, params, t),
                    decisions(name, &later, params, t),
                );
                assert_eq!(
                    a,
                    b,
                    "{name} ({model} forecasts) at hour {t} depends on hour {} or later",
                    t + ahead + 1
                );
            }
            let earlier = changed_from(&problem, 0);
            assert_ne!(
                decisions(name, &problem, params, 3),
                decisions(name, &earlier, params, 3),
                "{name}: the test's changes are not seen at all"
            );
        }
    }
}

#[test]
fn a_bad_forecast_table_is_refused_with_its_key() {
    let dir = oracle_copy();
    fails_in(
        dir.path(),
        "scenario.toml",
        &["--set", "forecast.sigma=0.1"],
        &["forecast.sigma", "noisy"],
    );
    fails_in(
        dir.path(),
        "scenario.toml",
        &[
            "--set",
            "forecast.model=\"psychic\"",
            "--set",
            "forecast.sigma=0.1",
        ],
        &["psychic", "perfect", "persistence", "noisy"],
    );
    fails_in(
        dir.path(),
        "scenario.toml",
        &["--set", "forecast.model=\"noisy\"", "--set", "forecast.sigma=-1"],
        &["forecast.sigma", ">= 0"],
    );
}
