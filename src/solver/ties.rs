//! Which hours the dual's multipliers leave tied: the hours whose allocation they do not pin
//! down, the only ones an exact primal recovery has to solve jointly (docs/model.md §4.3, step 2).

use std::sync::Arc;

use super::dual::{Multipliers, modified_prices};
use super::vertex::Vertex;
use crate::model::Problem;

/// The hours whose cheapest allocation could change if the multipliers moved by up to `slack`
/// (a fraction of each equity weight), given `vertices`, each hour's cheapest allocation at `m`.
///
/// A move of the multipliers can only swap two data centers whose modified prices are closer than
/// it could shift them. Sorted by price, the data centers then fall into blocks (the smallest
/// intervals containing every such pair) that a move permutes within but never mixes. The greedy
/// (which is exact: the hourly problem is a polymatroid) serves every block after the same set of
/// cheaper data centers, so a block whose data centers are all full or all idle keeps its loads
/// in any order (the block's total is fixed, each load is at a bound). An hour is tied when a block
/// of two or more holds a partly loaded data center, or full and idle ones together.
pub fn tied_hours(problem: &Problem, m: &Multipliers, vertices: &[Arc<Vertex>], slack: f64) -> Vec<usize> {
    let fleet = &problem.fleet;
    let weighted = fleet.weighted_prices(&m.water, &m.carbon);
    let (water_weight, carbon_weight) = (fleet.equity.water_usd_per_m3, fleet.equity.carbon_usd_per_t);
    (0..problem.n_hours())
        .filter(|&t| {
            let hour = problem.hour(t);
            let price = modified_prices(problem, t, &weighted);
            let shift: Vec<f64> = (0..fleet.dcs.len())
                .map(|d| {
                    slack
                        * (water_weight * fleet.water_vulnerability[d] * hour.water_l_per_kwh[d]
                            + carbon_weight * fleet.carbon_vulnerability[d] * hour.carbon_kg_per_kwh[d])
                })
                .collect();
            let state = load_states(&vertices[t].loads_mw, &fleet.capacity_mw);
            mixed_block(&price, &shift, &state)
        })
        .collect()
}

/// A data center's load: at zero, at capacity, or in between.
#[derive(Clone, Copy, PartialEq)]
enum LoadState {
    Idle,
    Full,
    Partial,
}

fn load_states(loads_mw: &[f64], capacity_mw: &[f64]) -> Vec<LoadState> {
    let tol = |cap: f64| 1e-9 * cap.max(1.0);
    loads_mw
        .iter()
        .zip(capacity_mw)
        .map(|(&load, &cap)| match load {
            l if l <= tol(cap) => LoadState::Idle,
            l if l >= cap - tol(cap) => LoadState::Full,
            _ => LoadState::Partial,
        })
        .collect()
}

/// Whether some block of data centers that shifts of `shift` could reorder (see [`tied_hours`])
/// holds two or more data centers not all idle or all full.
fn mixed_block(price: &[f64], shift: &[f64], state: &[LoadState]) -> bool {
    let mut order: Vec<usize> = (0..price.len()).collect();
    order.sort_by(|&a, &b| price[a].total_cmp(&price[b]).then(a.cmp(&b)));
    // reach[i]: the last position a data center at position i could swap with.
    let reach: Vec<usize> = (0..order.len())
        .map(|i| {
            let a = order[i];
            (i..order.len())
                .rev()
                .find(|&j| price[order[j]] - price[a] <= shift[a] + shift[order[j]])
                .unwrap_or(i)
        })
        .collect();
    let mut first = 0;
    let mut end = 0;
    for i in 0..order.len() {
        end = end.max(reach[i]);
        if i == end {
            let block = &order[first..=i];
            let uniform = block.iter().all(|&d| state[d] == LoadState::Idle)
                || block.iter().all(|&d| state[d] == LoadState::Full);
            if block.len() > 1 && !uniform {
                return true;
            }
            first = i + 1;
        }
    }
    false
}
