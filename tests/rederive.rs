//! A run's LP can be rebuilt and re-solved from its results folder alone: `demand.csv`,
//! `intensity.csv` and `routes.csv`, with the weights and capacities of the scenario. The LP is
//! written here from those files with good_lp and solved with microlp (an exact simplex), sharing
//! no code with fairglb's solver, and its optimum must equal the `eglb-offline` objective of
//! `summary.csv`.

use std::collections::HashMap;
use std::path::Path;

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};

use crate::util::{assert_close, cell, fairglb_ok, oracle_copy, read_csv, repo};

/// The min-max LP of a results folder `out` with the weights and capacities of `scenario`.
fn resolve_from_files(out: &Path, scenario: &Path) -> f64 {
    let toml: toml::Table = std::fs::read_to_string(scenario).unwrap().parse().unwrap();
    let number = |v: &toml::Value| v.as_float().or(v.as_integer().map(|i| i as f64)).unwrap();
    let weight = |key: &str| number(&toml["equity"][key]);
    let (water_weight, carbon_weight) = (weight("water_usd_per_m3"), weight("carbon_usd_per_t"));
    let capacity: HashMap<String, f64> = toml["dc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|dc| {
            (
                dc["name"].as_str().unwrap().to_string(),
                number(&dc["capacity_mw"]),
            )
        })
        .collect();
    let routes = read_csv(&out.join("routes.csv"));
    let intensity: HashMap<(String, String), (f64, f64, f64)> = read_csv(&out.join("intensity.csv"))
        .into_iter()
        .map(|r| {
            let v = |k: &str| r[k].parse::<f64>().unwrap();
            let key = (r["hour_utc"].clone(), r["dc"].clone());
            (
                key,
                (
                    v("price_usd_per_mwh"),
                    v("water_l_per_kwh"),
                    v("carbon_kg_per_kwh"),
                ),
            )
        })
        .collect();
    let demand = read_csv(&out.join("demand.csv"));

    let mut vars = ProblemVariables::new();
    let z_water = vars.add(variable().min(0.0));
    let z_carbon = vars.add(variable().min(0.0));
    let mut cost = Expression::default();
    let mut water: HashMap<&str, Expression> = HashMap::new();
    let mut carbon: HashMap<&str, Expression> = HashMap::new();
    let mut served: Vec<(Expression, f64)> = Vec::new();
    let mut load: HashMap<(&str, &str), Expression> = HashMap::new();
    for row in &demand {
        let (hour, gateway) = (row["hour_utc"].as_str(), row["gateway"].as_str());
        let mut gateway_served = Expression::default();
        for route in routes.iter().filter(|r| r["gateway"] == gateway) {
            let dc = route["dc"].as_str();
            let x: Variable = vars.add(variable().min(0.0));
            let (price, water_l, carbon_kg) = intensity[&(hour.to_string(), dc.to_string())];
            // MW for one hour = MWh; L/kWh x MWh = m3; kg/kWh x MWh = t.
            cost.add_mul(price, x);
            water.entry(dc).or_default().add_mul(water_l, x);
            carbon.entry(dc).or_default().add_mul(carbon_kg, x);
            load.entry((hour, dc)).or_default().add_mul(1.0, x);
            gateway_served.add_mul(1.0, x);
        }
        served.push((gateway_served, row["demand_mw"].parse().unwrap()));
    }
    let objective = cost + water_weight * z_water + carbon_weight * z_carbon;
    let mut model = vars.minimise(objective.clone()).using(microlp);
    for (expr, demand_mw) in served {
        model.add_constraint(expr.eq(demand_mw));
    }
    for ((_, dc), expr) in load {
        model.add_constraint(expr.leq(capacity[dc]));
    }
    for expr in water.into_values() {
        model.add_constraint(expr.leq(z_water));
    }
    for expr in carbon.into_values() {
        model.add_constraint(expr.leq(z_carbon));
    }
    let solution = model.solve().expect("the LP rebuilt from the files solves");
    solution.eval(&objective)
}

fn offline_objective(out: &Path) -> f64 {
    cell(
        &read_csv(&out.join("summary.csv")),
        &[("policy", "eglb-offline")],
        "objective_usd",
    )
}

#[test]
fn the_oracle_optimum_is_re_solved_from_its_outputs_under_full_and_partial_routing() {
    let dir = oracle_copy();
    for routing in ["full", "partial"] {
        let set = format!("routing={routing}");
        fairglb_ok(
            dir.path(),
            &[
                "run",
                "scenario.toml",
                "--out",
                routing,
                "--set",
                &set,
                "--policy",
                "eglb-offline",
            ],
        );
        let out = dir.path().join(routing);
        let resolved = resolve_from_files(&out, &dir.path().join("scenario.toml"));
        assert_close(resolved, offline_objective(&out), 1e-7, routing);
    }
}

#[test]
fn a_day_of_the_paper_is_re_solved_from_its_outputs() {
    let out = tempfile::tempdir().unwrap();
    let scenario = repo().join("scenarios/paper.toml");
    let folder = out.path().join("paper");
    fairglb_ok(
        &repo(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--out",
            folder.to_str().unwrap(),
            "--set",
            "horizon.hours=24",
            "--policy",
            "eglb-offline",
        ],
    );
    let resolved = resolve_from_files(&folder, &scenario);
    assert_close(resolved, offline_objective(&folder), 1e-6, "paper, 24 hours");
}
