//! Property tests on random small instances (2-4 data centers and gateways, 1-4 hours, random
//! routing masks, prices that may be negative): every policy serves each gateway's demand exactly
//! within capacity and routing, and `eglb-offline` is optimal: no policy scores better under the
//! same weights, and it agrees with the exact simplex.

use fairglb::metrics;
use fairglb::model::routing::{Routing, RoutingKind};
use fairglb::model::{EquityWeights, Fleet, Problem};
use fairglb::policy;
use fairglb::solver::offline;
use proptest::collection::vec;
use proptest::prelude::*;

const TOL: f64 = 1e-9;

#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) n: usize,
    pub(crate) j: usize,
    pub(crate) t: usize,
    pub(crate) full: bool,
    pub(crate) capacity: Vec<f64>,
    pub(crate) mask_bits: Vec<bool>,
    pub(crate) flow_share: Vec<f64>,
    pub(crate) price: Vec<f64>,
    pub(crate) carbon: Vec<f64>,
    pub(crate) water: Vec<f64>,
    pub(crate) water_weight: f64,
    pub(crate) carbon_weight: f64,
    /// Water then carbon vulnerability weights, n each.
    pub(crate) vulnerability: Vec<f64>,
}

pub(crate) fn spec() -> impl Strategy<Value = Spec> {
    (2usize..=4, 2usize..=4, 1usize..=4, any::<bool>()).prop_flat_map(|(n, j, t, full)| {
        (
            vec(0.5f64..2.0, n),
            vec(any::<bool>(), n * j),
            vec(0.0f64..1.0, t * n * j),
            vec(-20.0f64..200.0, t * n),
            vec(0.0f64..1.0, t * n),
            vec(0.0f64..10.0, t * n),
            0.0f64..200.0,
            0.0f64..3000.0,
            vec(prop_oneof![Just(1.0), 0.2f64..5.0], 2 * n),
        )
            .prop_map(
                move |(capacity, mask_bits, flow_share, price, carbon, water, ww, cw, vulnerability)| Spec {
                    n,
                    j,
                    t,
                    full,
                    capacity,
                    mask_bits,
                    flow_share,
                    price,
                    carbon,
                    water,
                    water_weight: ww,
                    carbon_weight: cw,
                    vulnerability,
                },
            )
    })
}

/// A feasible problem: demand is the column sums of a random flow that fits every capacity.
pub(crate) fn problem(s: &Spec) -> Problem {
    let nearest_dc: Vec<usize> = (0..s.j).map(|g| g % s.n).collect();
    let allowed = |d: usize, g: usize| s.full || nearest_dc[g] == d || s.mask_bits[d * s.j + g];
    let routing = if s.full {
        Routing::full(s.n, s.j)
    } else {
        Routing::from_fn(RoutingKind::Partial, s.n, s.j, allowed)
    };
    let per_hour = |v: &[f64]| -> Vec<Vec<f64>> { v.chunks(s.n).map(<[f64]>::to_vec).collect() };
    let demand_mw = (0..s.t)
        .map(|t| {
            (0..s.j)
                .map(|g| {
                    (0..s.n)
                        .filter(|&d| allowed(d, g))
                        .map(|d| s.flow_share[(t * s.n + d) * s.j + g] * s.capacity[d] / s.j as f64)
                        .sum()
                })
                .collect()
        })
        .collect();
    Problem {
        unused_trace_dcs: Vec::new(),
        trace_anomalies: Vec::new(),
        forecast: Default::default(),
        carried: Default::default(),
        fleet: Fleet {
            dcs: (0..s.n).map(|d| format!("dc{d}")).collect(),
            gateways: (0..s.j).map(|g| format!("g{g}")).collect(),
            capacity_mw: s.capacity.clone(),
            routing,
            nearest_dc,
            equity: EquityWeights {
                water_usd_per_m3: s.water_weight,
                carbon_usd_per_t: s.carbon_weight,
            },
            water_vulnerability: s.vulnerability[..s.n].to_vec(),
            carbon_vulnerability: s.vulnerability[s.n..].to_vec(),
        },
        hours: (0..s.t).map(|t| format!("hour {t}")).collect(),
        price_usd_per_mwh: per_hour(&s.price),
        carbon_kg_per_kwh: per_hour(&s.carbon),
        water_l_per_kwh: per_hour(&s.water),
        water_onsite_l_per_kwh: None,
        carbon_embodied_kg_per_kwh: 0.0,
        demand_mw,
    }
}

/// Checks written here, independently of `Allocation::check`.
fn assert_feasible(p: &Problem, t: usize, a: &fairglb::model::allocation::Allocation, policy: &str) {
    let f = &p.fleet;
    for g in 0..f.gateways.len() {
        let served: f64 = (0..f.dcs.len()).map(|d| a.flow_mw(d, g)).sum();
        assert!(
            (served - p.demand_mw[t][g]).abs() <= TOL,
            "{policy} hour {t}: gateway {g} served {served}"
        );
        for d in 0..f.dcs.len() {
            assert!(a.flow_mw(d, g) >= -TOL, "{policy}: negative flow");
            if !f.routing.allows(d, g) {
                assert!(a.flow_mw(d, g) <= TOL, "{policy}: flow on a forbidden pair");
            }
        }
    }
    for d in 0..f.dcs.len() {
        let load: f64 = (0..f.gateways.len()).map(|g| a.flow_mw(d, g)).sum();
        assert!(load <= f.capacity_mw[d] + TOL, "{policy}: dc {d} over capacity");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn policies_are_feasible_and_offline_is_optimal(s in spec()) {
        let p = problem(&s);
        let mut objectives = Vec::new();
        for name in policy::names() {
            let mut pol = policy::build(name, &p, &toml::Table::new()).unwrap();
            let mut loads = Vec::new();
            let mut served_all = true;
            for t in 0..p.n_hours() {
                match pol.decide(&p.hour(t)) {
                    Ok(a) => {
                        assert_feasible(&p, t, &a, name);
                        loads.push(a.dc_loads_mw());
                    }
                    Err(_) => {
                        // Only `nearest` may fail, and only when its one data center is too small.
                        prop_assert_eq!(name, "nearest");
                        let over = (0..s.n).any(|d| {
                            let load: f64 = (0..s.j).filter(|&g| p.fleet.nearest_dc[g] == d).map(|g| p.demand_mw[t][g]).sum();
                            load > p.fleet.capacity_mw[d] + TOL
                        });
                        prop_assert!(over, "nearest failed on a feasible hour");
                        served_all = false;
                        break;
                    }
                }
            }
            if served_all {
                objectives.push((name, metrics::objective_usd(&p, &loads)));
            }
        }
        let offline = objectives.iter().find(|(n, _)| *n == "eglb-offline").unwrap().1;
        for (name, objective) in &objectives {
            prop_assert!(offline <= objective + 1e-7 * objective.abs().max(1.0), "{} scores {} < offline {}", name, objective, offline);
        }
        let exact = offline::solve_exact(&p).unwrap().certificate.objective_usd;
        prop_assert!((offline - exact).abs() <= 1e-6 * exact.abs().max(1.0), "offline {} vs exact {}", offline, exact);
        // Small instances are solved whole; the decomposition must agree on them too.
        let decomposed = offline::solve_by_decomposition(&p).unwrap().certificate;
        prop_assert!((decomposed.objective_usd - exact).abs() <= 1e-6 * exact.abs().max(1.0), "decomposition {:?} vs exact {}", decomposed, exact);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// The max-flow greedy of masked hours equals the transportation LP's optimum (microlp).
    #[test]
    fn greedy_flow_matches_the_transportation_lp(s in spec()) {
        let p = problem(&s);
        for t in 0..p.n_hours() {
            let hour = p.hour(t);
            let price = hour.price_usd_per_mwh;
            let greedy = fairglb::model::allocation::cheapest(price, hour.demand_mw, &p.fleet).unwrap();
            assert_feasible(&p, t, &greedy, "greedy flow");
            let lp = fairglb::solver::lp::transport(price, hour.demand_mw, &p.fleet).unwrap();
            let cost = |a: &fairglb::model::allocation::Allocation| a.dc_loads_mw().iter().zip(price).map(|(y, c)| y * c).sum::<f64>();
            prop_assert!((cost(&greedy) - cost(&lp)).abs() <= 1e-9 * cost(&lp).abs().max(1.0), "greedy {} vs LP {}", cost(&greedy), cost(&lp));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any action's shares map to a feasible allocation; shares that are already feasible (the
    /// flow share the demand was made of, under full routing) map to themselves.
    #[test]
    fn shares_map_to_a_feasible_allocation(s in spec(), raw in vec(-0.5f64..1.0, 16)) {
        let p = problem(&s);
        let n_pairs = s.n * s.j;
        for t in 0..p.n_hours() {
            let hour = p.hour(t);
            let shares: Vec<f64> = (0..n_pairs).map(|i| raw[i % raw.len()] * (1.0 + i as f64)).collect();
            let (a, _) = fairglb::model::allocation::from_shares(&shares, hour.price_usd_per_mwh, hour.demand_mw, &p.fleet).unwrap();
            assert_feasible(&p, t, &a, "shares");
            if s.full {
                let flows: Vec<f64> = (0..n_pairs).map(|i| s.flow_share[t * n_pairs + i] * s.capacity[i / s.j] / s.j as f64).collect();
                let (same, repaired) = fairglb::model::allocation::from_shares(&flows, hour.price_usd_per_mwh, hour.demand_mw, &p.fleet).unwrap();
                prop_assert!(!repaired);
                for (i, want) in flows.iter().enumerate() {
                    prop_assert!((same.flow_mw(i / s.j, i % s.j) - want).abs() <= 1e-9, "pair {i}");
                }
            }
        }
    }
}
