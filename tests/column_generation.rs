//! The offline solver's column generation against the exact simplex: random small instances
//! (masks, vulnerability weights, negative prices), a degenerate fleet where every region ties, and
//! its certificate's lower bound recomputed here from its multipliers with the transportation LP
//! (microlp), not the max-flow greedy the solver uses.

use fairglb::model::Problem;
use fairglb::model::routing::{Routing, RoutingKind};
use fairglb::solver::offline::{self, CERTIFIED_REL_GAP, OfflinePlan};
use proptest::prelude::*;

use crate::properties::{problem, spec};

/// Checks `plan` against the simplex's optimum of `p`: its bound at most the optimum, its
/// objective at least it, within the certified gap, and its bound as recomputed here.
fn assert_certified(p: &Problem, plan: &OfflinePlan) {
    let exact = offline::solve_exact(p).unwrap().certificate.objective_usd;
    let c = plan.certificate;
    let scale = exact.abs().max(1.0);
    assert!(c.relative_gap() <= CERTIFIED_REL_GAP, "{c:?}");
    assert!(
        c.lower_bound_usd <= exact + 1e-9 * scale,
        "bound {} above the optimum {exact}",
        c.lower_bound_usd
    );
    assert!(
        c.objective_usd >= exact - 1e-9 * scale,
        "objective {} below the optimum {exact}",
        c.objective_usd
    );
    let recomputed = lagrangian_bound(p, plan.multipliers.as_ref().unwrap());
    assert!(
        (recomputed - c.lower_bound_usd).abs() <= 1e-9 * scale,
        "bound {recomputed} vs {c:?}"
    );
}

/// The Lagrangian bound at `m`, hour by hour with the transportation LP; `m` must be admissible.
fn lagrangian_bound(p: &Problem, m: &fairglb::solver::dual::Multipliers) -> f64 {
    let f = &p.fleet;
    assert!(m.water.iter().chain(&m.carbon).all(|&x| x >= 0.0));
    assert!(m.water.iter().sum::<f64>() <= f.equity.water_usd_per_m3 * (1.0 + 1e-12));
    assert!(m.carbon.iter().sum::<f64>() <= f.equity.carbon_usd_per_t * (1.0 + 1e-12));
    let (carried_water, carried_carbon) = p.carried.totals(f.dcs.len());
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a * b).sum::<f64>();
    let carried = dot(&m.water, &carried_water) + dot(&m.carbon, &carried_carbon);
    carried
        + (0..p.n_hours())
            .map(|t| {
                let hour = p.hour(t);
                let price: Vec<f64> = (0..f.dcs.len())
                    .map(|d| {
                        hour.price_usd_per_mwh[d]
                            + m.water[d] * f.water_vulnerability[d] * hour.water_l_per_kwh[d]
                            + m.carbon[d] * f.carbon_vulnerability[d] * hour.carbon_kg_per_kwh[d]
                    })
                    .collect();
                let a = fairglb::solver::lp::transport(&price, hour.demand_mw, f).unwrap();
                a.dc_loads_mw()
                    .iter()
                    .zip(&price)
                    .map(|(y, c)| y * c)
                    .sum::<f64>()
            })
            .sum::<f64>()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn column_generation_equals_the_simplex(s in spec()) {
        let p = problem(&s);
        assert_certified(&p, &offline::solve_by_columns(&p).unwrap());
    }
}

/// Eight identical data centers (the same price, water and carbon in every hour), so every
/// region ties at the optimum; masked and full routing.
#[test]
fn column_generation_certifies_a_fleet_of_tied_regions() {
    for full in [true, false] {
        let p = tied_fleet(full);
        let plan = offline::solve_by_columns(&p).unwrap();
        assert_certified(&p, &plan);
        // The whole solver agrees, whichever method it picks.
        assert_certified(&p, &offline::solve(&p).unwrap());
    }
}

fn tied_fleet(full: bool) -> Problem {
    let (n, j, hours) = (8, 6, 24);
    let mut p = problem(&spec_like(n, j, hours));
    p.fleet.routing = match full {
        true => Routing::full(n, j),
        false => Routing::from_fn(RoutingKind::Partial, n, j, |d, g| {
            d == g || (d + 1) % n == g || d == (g + 3) % n
        }),
    };
    for t in 0..hours {
        let wave = (t as f64 * 0.7).sin();
        p.price_usd_per_mwh[t] = vec![50.0 + 20.0 * wave; n];
        p.water_l_per_kwh[t] = vec![2.0 + wave; n];
        p.carbon_kg_per_kwh[t] = vec![0.4 - 0.1 * wave; n];
        p.demand_mw[t] = (0..j).map(|g| 0.6 + 0.1 * ((t + g) % 3) as f64).collect();
    }
    p.fleet.capacity_mw = vec![1.0; n];
    p.fleet.water_vulnerability = vec![1.0; n];
    p.fleet.carbon_vulnerability = vec![1.0; n];
    p
}

/// A specification of `n` data centers, `j` gateways and `hours` hours whose values the caller
/// replaces.
fn spec_like(n: usize, j: usize, hours: usize) -> crate::properties::Spec {
    crate::properties::Spec {
        n,
        j,
        t: hours,
        full: true,
        capacity: vec![1.0; n],
        mask_bits: vec![true; n * j],
        flow_share: vec![0.5; hours * n * j],
        price: vec![50.0; hours * n],
        carbon: vec![0.4; hours * n],
        water: vec![2.0; hours * n],
        water_weight: 60.0,
        carbon_weight: 1500.0,
        vulnerability: vec![1.0; 2 * n],
    }
}

/// Hours `from..from + len` of `p`, as a receding horizon's window sees them, the regions carrying
/// totals that grow with `from` (m3 and t per data center).
fn window(p: &Problem, from: usize, len: usize) -> Problem {
    let hours = from..from + len;
    let n = p.fleet.dcs.len();
    let carried = |per_hour: f64| {
        (0..n)
            .map(|d| per_hour * (1 + d % 3) as f64 * from as f64)
            .collect()
    };
    Problem {
        carried: fairglb::model::Carried {
            water_m3: carried(40.0),
            carbon_t: carried(3.0),
        },
        hours: p.hours[hours.clone()].to_vec(),
        price_usd_per_mwh: p.price_usd_per_mwh[hours.clone()].to_vec(),
        carbon_kg_per_kwh: p.carbon_kg_per_kwh[hours.clone()].to_vec(),
        water_l_per_kwh: p.water_l_per_kwh[hours.clone()].to_vec(),
        water_onsite_l_per_kwh: None,
        demand_mw: p.demand_mw[hours].to_vec(),
        ..p.clone()
    }
}

#[test]
fn a_window_starts_from_the_last_windows_columns_for_the_hours_it_shares_with_the_same_demand() {
    let scenario = crate::util::repo().join("scenarios/global-2022.toml");
    let year = fairglb::load(&scenario, &["horizon.hours=48".to_string()])
        .unwrap()
        .1;
    // Windows of 24 hours under the latency mask (960 flow variables): past the direct path.
    let first = offline::solve(&window(&year, 0, 24)).unwrap();
    let second = offline::solve_from(&window(&year, 1, 24), first.warm_start().as_ref()).unwrap();
    assert_eq!(second.certificate.method, "column generation");
    assert!(second.pool.is_some(), "a warm start's plan hands on its columns");
    let from_columns = second.warm_start().unwrap();
    let without = offline::WarmStart {
        pool: None,
        ..from_columns.clone()
    };
    let third = window(&year, 2, 24);
    let carried = offline::solve_from(&third, Some(&from_columns)).unwrap();
    let fresh = offline::solve_from(&third, Some(&without)).unwrap();
    assert_certified(&third, &carried);
    assert_certified(&third, &fresh);
    let rounds = |plan: &OfflinePlan| plan.certificate.dual_evaluations;
    assert!(
        rounds(&carried) < rounds(&fresh),
        "the carried columns save rounds: {} against {}",
        rounds(&carried),
        rounds(&fresh)
    );
    // An hour that changed (more demand, the same name) takes none of the old columns, which
    // would serve the old demand: the plan stays feasible and optimal.
    let mut changed = third.clone();
    changed.demand_mw[3].iter_mut().for_each(|d| *d *= 1.05);
    let plan = offline::solve_from(&changed, Some(&from_columns)).unwrap();
    assert_eq!(plan.certificate.method, "column generation");
    assert_certified(&changed, &plan);
    for (t, allocation) in plan.allocations.iter().enumerate() {
        allocation
            .check(&changed.fleet, changed.demand_mw[t].as_slice())
            .unwrap();
    }
}
