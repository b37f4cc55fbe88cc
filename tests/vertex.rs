//! Reusing an hour's cheapest allocation (`solver::vertex`): whenever the check says an earlier
//! allocation is still a cheapest one at new prices, the oracle there finds the same loads and the
//! transportation LP (microlp) the same value; by hand, reordering full data centers keeps an
//! allocation and moving a partly loaded one does not; the dual evaluated with reuse equals it
//! evaluated afresh.

use std::sync::Arc;

use fairglb::model::routing::Routing;
use fairglb::model::{EquityWeights, Fleet};
use fairglb::solver::dual::{self, Multipliers};
use fairglb::solver::lp::transport;
use fairglb::solver::vertex::Vertex;
use proptest::collection::vec;
use proptest::prelude::*;

use crate::properties::{problem, spec};

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_reused_allocation_is_the_oracles(
        s in spec(),
        shift in vec(-1.0f64..1.0, 4),
        scale in prop_oneof![Just(0.01), Just(1.0), Just(50.0)],
    ) {
        let p = problem(&s);
        for t in 0..p.n_hours() {
            let hour = p.hour(t);
            let old = hour.price_usd_per_mwh;
            let new: Vec<f64> = old.iter().zip(&shift).map(|(p, s)| p + scale * s).collect();
            let vertex = Vertex::cheapest(old, hour.demand_mw, &p.fleet).unwrap();
            if !vertex.still_cheapest(&new) {
                continue;
            }
            let fresh = Vertex::cheapest(&new, hour.demand_mw, &p.fleet).unwrap();
            for (a, b) in vertex.loads_mw.iter().zip(&fresh.loads_mw) {
                prop_assert!((a - b).abs() <= 1e-9, "{:?} vs {:?}", vertex.loads_mw, fresh.loads_mw);
            }
            let lp = transport(&new, hour.demand_mw, &p.fleet).unwrap().dc_loads_mw();
            let lp_value: f64 = lp.iter().zip(&new).map(|(y, c)| y * c).sum();
            prop_assert!((vertex.value_usd(&new) - lp_value).abs() <= 1e-9 * lp_value.abs().max(1.0));
        }
    }

    #[test]
    fn the_dual_with_reuse_equals_it_afresh(s in spec(), m in vec(0.0f64..1.0, 16)) {
        let p = problem(&s);
        let n = p.fleet.dcs.len();
        let at = |offset: usize| Multipliers {
            water: m[offset..offset + n].iter().map(|x| x * s.water_weight / n as f64).collect(),
            carbon: m[offset + 4..offset + 4 + n].iter().map(|x| x * s.carbon_weight / n as f64).collect(),
        };
        let (first, second) = (at(0), at(8));
        let known = dual::evaluate(&p, &first).unwrap();
        // At the same multipliers every hour is reused.
        let again = dual::evaluate_near(&p, &first, Some(&known)).unwrap();
        prop_assert!(again.vertices.iter().zip(&known.vertices).all(|(a, b)| Arc::ptr_eq(a, b)));
        prop_assert_eq!(again.value_usd, known.value_usd);
        let reused = dual::evaluate_near(&p, &second, Some(&known)).unwrap();
        let fresh = dual::evaluate(&p, &second).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
        prop_assert!(close(reused.value_usd, fresh.value_usd));
        for (a, b) in reused.water_m3.iter().chain(&reused.carbon_t).zip(fresh.water_m3.iter().chain(&fresh.carbon_t)) {
            prop_assert!(close(*a, *b));
        }
    }
}

/// Three data centers of 1 MW under full routing, one gateway.
fn three_of_one_mw() -> Fleet {
    let names = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix}{i}")).collect();
    Fleet {
        dcs: names("dc", 3),
        gateways: names("g", 1),
        capacity_mw: vec![1.0; 3],
        routing: Routing::full(3, 1),
        nearest_dc: vec![0],
        equity: EquityWeights {
            water_usd_per_m3: 1.0,
            carbon_usd_per_t: 1.0,
        },
        water_vulnerability: vec![1.0; 3],
        carbon_vulnerability: vec![1.0; 3],
    }
}

#[test]
fn full_data_centers_may_swap_a_partly_loaded_one_may_not_move_later() {
    let fleet = three_of_one_mw();
    // 2.5 MW at prices 1, 2, 3: dc0 and dc1 full, dc2 half.
    let vertex = Vertex::cheapest(&[1.0, 2.0, 3.0], &[2.5], &fleet).unwrap();
    assert_eq!(vertex.loads_mw, vec![1.0, 1.0, 0.5]);
    assert!(vertex.still_cheapest(&[1.0, 2.0, 3.0]));
    assert!(vertex.still_cheapest(&[2.0, 1.0, 3.0]), "the full ones swapped");
    assert!(vertex.still_cheapest(&[5.0, 4.0, 6.0]));
    assert!(
        !vertex.still_cheapest(&[1.0, 3.0, 2.0]),
        "the half-loaded one before a full one"
    );
    assert_eq!(
        Vertex::cheapest(&[1.0, 3.0, 2.0], &[2.5], &fleet)
            .unwrap()
            .loads_mw,
        vec![1.0, 0.5, 1.0]
    );
    // 1.5 MW: dc0 full, dc1 half, dc2 idle and never opened.
    let vertex = Vertex::cheapest(&[1.0, 2.0, 3.0], &[1.5], &fleet).unwrap();
    assert_eq!(vertex.loads_mw, vec![1.0, 0.5, 0.0]);
    assert!(vertex.still_cheapest(&[1.0, 2.0, 30.0]));
    assert!(
        !vertex.still_cheapest(&[2.0, 1.0, 3.0]),
        "the half-loaded one first"
    );
    assert!(
        !vertex.still_cheapest(&[1.0, 3.0, 2.0]),
        "an unopened one before an opened one"
    );
}

#[test]
fn a_data_center_that_ran_out_of_demand_is_not_taken_for_full() {
    // 2 - 5e-10 MW over two 1 MW data centers: the dearer one is 5e-10 MW short of full, so it may
    // not move before the cheaper one (that would cost 4.95e-8 USD more than the oracle's).
    let mut fleet = three_of_one_mw();
    fleet.capacity_mw[2] = 0.0;
    let vertex = Vertex::cheapest(&[1.0, 100.0, 200.0], &[2.0 - 5e-10], &fleet).unwrap();
    assert_eq!(vertex.loads_mw, vec![1.0, 1.0 - 5e-10, 0.0]);
    assert!(!vertex.still_cheapest(&[100.0, 1.0, 200.0]));
}

#[test]
fn masked_full_data_centers_may_swap() {
    // Gateway 0 may use dc0 and dc1, gateway 1 only dc2; 1 MW each, demand 2 and 0.5 MW.
    let mut fleet = three_of_one_mw();
    fleet.gateways = vec!["g0".into(), "g1".into()];
    fleet.nearest_dc = vec![0, 2];
    fleet.routing = Routing::from_fn(fairglb::model::routing::RoutingKind::Partial, 3, 2, |d, g| {
        (g == 0 && d < 2) || (g == 1 && d == 2)
    });
    let vertex = Vertex::cheapest(&[1.0, 2.0, 3.0], &[2.0, 0.5], &fleet).unwrap();
    assert_eq!(vertex.loads_mw, vec![1.0, 1.0, 0.5]);
    assert!(vertex.still_cheapest(&[2.0, 1.0, 3.0]), "the full ones swapped");
    assert!(
        !vertex.still_cheapest(&[2.0, 3.0, 1.0]),
        "the half-loaded one first"
    );
    let fresh = Vertex::cheapest(&[2.0, 1.0, 3.0], &[2.0, 0.5], &fleet).unwrap();
    assert_eq!(fresh.loads_mw, vertex.loads_mw);
}
