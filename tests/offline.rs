//! The year-scale offline solver (dual decomposition with exact primal recovery) against the
//! monolithic LP solved by the exact simplex, on two weeks of the global 2022 scenario (latency
//! mask, physical intensities), and the dual's defining properties.

use fairglb::metrics;
use fairglb::model::Problem;
use fairglb::solver::dual::{self, Multipliers};
use fairglb::solver::offline;

use crate::util::repo;

fn two_weeks() -> Problem {
    let scenario = repo().join("scenarios/global-2022.toml");
    fairglb::load(&scenario, &["horizon.hours=336".to_string()])
        .unwrap()
        .1
}

#[test]
fn decomposition_equals_the_monolithic_simplex_optimum_on_two_weeks() {
    let problem = two_weeks();
    let exact = offline::solve_exact(&problem).unwrap();
    let fast = offline::solve(&problem).unwrap();
    let (e, f) = (exact.certificate, fast.certificate);
    println!("simplex {e:?}\ndecomposition {f:?}");
    assert_eq!(f.method, "dual decomposition");
    // The decomposition left most hours to the dual: only tied hours went into an LP.
    assert!(
        f.free_hours < problem.n_hours() / 10,
        "{} free hours",
        f.free_hours
    );
    assert!(
        (f.objective_usd - e.objective_usd).abs() <= 1e-6 * e.objective_usd,
        "decomposition {} vs simplex {}",
        f.objective_usd,
        e.objective_usd
    );
    // Its lower bound is a true bound, and its plan is feasible every hour and scores as reported.
    assert!(f.lower_bound_usd <= e.objective_usd * (1.0 + 1e-9));
    for (t, allocation) in fast.allocations.iter().enumerate() {
        allocation
            .check(&problem.fleet, problem.hour(t).demand_mw)
            .unwrap();
    }
    let loads: Vec<Vec<f64>> = fast.allocations.iter().map(|a| a.dc_loads_mw()).collect();
    let scored = metrics::objective_usd(&problem, &loads);
    assert!((scored - f.objective_usd).abs() <= 1e-9 * scored);

    // Weak duality: the dual function at any admissible multipliers is below the optimum, and
    // its maximum reaches it.
    let n = problem.fleet.dcs.len();
    let weights = problem.fleet.equity;
    let admissible = [
        Multipliers {
            water: vec![0.0; n],
            carbon: vec![0.0; n],
        },
        Multipliers {
            water: vec![weights.water_usd_per_m3 / n as f64; n],
            carbon: vec![weights.carbon_usd_per_t / n as f64; n],
        },
        Multipliers {
            water: (0..n)
                .map(|d| if d == 3 { weights.water_usd_per_m3 } else { 0.0 })
                .collect(),
            carbon: (0..n)
                .map(|d| if d == 7 { weights.carbon_usd_per_t } else { 0.0 })
                .collect(),
        },
    ];
    for m in &admissible {
        let value = dual::evaluate(&problem, m).unwrap().value_usd;
        assert!(
            value <= e.objective_usd * (1.0 + 1e-12),
            "dual {value} above the optimum"
        );
    }
    let best = dual::maximise(&problem, 1e-10).unwrap();
    assert!(
        (best.evaluation.value_usd - e.objective_usd).abs() <= 1e-8 * e.objective_usd,
        "dual maximum {} vs optimum {}",
        best.evaluation.value_usd,
        e.objective_usd
    );

    // A warm start, whose bundle keeps only the cuts active at each step, the newest and the
    // center's, reaches the same maximum before the step cap, from near the maximiser (a tenth of
    // the way to the uniform multipliers: a receding horizon's next window) and from the uniform ones.
    let blend =
        |a: &[f64], b: &[f64]| -> Vec<f64> { a.iter().zip(b).map(|(a, b)| 0.9 * a + 0.1 * b).collect() };
    let near = Multipliers {
        water: blend(&best.multipliers.water, &admissible[1].water),
        carbon: blend(&best.multipliers.carbon, &admissible[1].carbon),
    };
    println!("cold start: {} evaluations", best.evaluations);
    // Column generation's first columns: per hour, the distinct allocations (by loads) of the last
    // evaluations, each feasible, at least one and at most one per evaluation kept.
    assert_eq!(best.recent_columns.len(), problem.n_hours());
    let mut more_than_one = 0;
    for (t, columns) in best.recent_columns.iter().enumerate() {
        assert!(
            (1..=dual::RECENT_EVALUATIONS).contains(&columns.len()),
            "hour {t}"
        );
        for (i, column) in columns.iter().enumerate() {
            assert!(
                columns[..i].iter().all(|c| c.loads_mw != column.loads_mw),
                "hour {t}"
            );
            let allocation = column.allocation(problem.fleet.gateways.len());
            allocation
                .check(&problem.fleet, problem.hour(t).demand_mw)
                .unwrap();
        }
        more_than_one += usize::from(columns.len() > 1);
    }
    assert!(more_than_one > 0, "the last evaluations differ in some hour");
    for start in [&near, &admissible[1]] {
        let warm = dual::maximise_from(&problem, 1e-10, Some(start)).unwrap();
        println!("warm start: {} evaluations", warm.evaluations);
        assert!(
            warm.evaluations < dual::MAX_STEPS,
            "the warm start ran to the cap"
        );
        assert!(
            (warm.evaluation.value_usd - e.objective_usd).abs() <= 1e-8 * e.objective_usd,
            "warm-started dual maximum {} vs optimum {}",
            warm.evaluation.value_usd,
            e.objective_usd
        );
    }
}

/// A zero equity weight (a sweep's corner) keeps that group's multipliers at zero: the dual
/// maximises the other group's alone, without a failed master QP sending the solve down a
/// fallback path.
#[test]
fn a_zero_equity_weight_is_solved_by_the_dual_without_fallbacks() {
    for zero in ["equity.water_usd_per_m3=0", "equity.carbon_usd_per_t=0"] {
        let scenario = repo().join("scenarios/paper.toml");
        let problem = fairglb::load(&scenario, &[zero.to_string()]).unwrap().1;
        let best = dual::maximise(&problem, 1e-10).unwrap();
        let (water, carbon) = (&best.multipliers.water, &best.multipliers.carbon);
        let zeroed = if zero.contains("water") { water } else { carbon };
        assert!(zeroed.iter().all(|&m| m == 0.0), "{zero}: {:?}", best.multipliers);
        let plan = offline::solve(&problem).unwrap();
        assert!(plan.fallbacks.is_empty(), "{zero}: {:?}", plan.fallbacks);
        let gap = plan.certificate.objective_usd - best.evaluation.value_usd;
        assert!(
            gap <= 1e-7 * plan.certificate.objective_usd,
            "{zero}: dual {gap} USD below the plan"
        );
    }
}
