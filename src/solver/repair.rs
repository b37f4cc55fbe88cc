//! Exactly feasible allocations from an LP solver's values: an interior point may miss a demand,
//! capacity or sign constraint by ~1e-9, which the certified plans may not.

use super::lp::OfflineLpSolution;
use crate::error::SolveError;
use crate::model::Problem;
use crate::model::allocation::{self, Allocation, flow_index};

/// Turns the solver's values for `hours` (in that order) into exactly feasible allocations.
pub(super) fn repair(
    problem: &Problem,
    hours: &[usize],
    solution: &OfflineLpSolution,
) -> Result<Vec<Allocation>, SolveError> {
    let fleet = &problem.fleet;
    hours
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let demand = problem.hour(t).demand_mw;
            let allocation = if fleet.routing.is_full() {
                let mut loads = vec![0.0; fleet.dcs.len()];
                for &(d, _, v) in &solution.flows[i] {
                    loads[d] = v;
                }
                repair_loads(&mut loads, demand.iter().sum(), &fleet.capacity_mw);
                Allocation::split_loads(&loads, demand)
            } else {
                repair_flows(problem, t, &solution.flows[i])
            };
            allocation
                .check(fleet, demand)
                .map_err(|source| SolveError::Repair {
                    hour: problem.hours[t].clone(),
                    source,
                })?;
            Ok(allocation)
        })
        .collect()
}

/// Clamps loads into [0, capacity], then adds or removes the residual in data-center order.
fn repair_loads(loads: &mut [f64], total_mw: f64, capacity_mw: &[f64]) {
    for (load, cap) in loads.iter_mut().zip(capacity_mw) {
        *load = load.clamp(0.0, *cap);
    }
    let mut residual = total_mw - loads.iter().sum::<f64>();
    for (load, cap) in loads.iter_mut().zip(capacity_mw) {
        let change = if residual > 0.0 {
            residual.min(cap - *load)
        } else {
            residual.max(-*load)
        };
        *load += change;
        residual -= change;
    }
}

/// Clamps flows at zero, rescales each gateway's flows to its demand, then moves any capacity
/// excess to other allowed data centers with room. If an excess cannot be moved in one step, falls
/// back to the hour's cheapest-energy allocation; the certificate then measures what that costs.
fn repair_flows(problem: &Problem, t: usize, values: &[(usize, Option<usize>, f64)]) -> Allocation {
    let fleet = &problem.fleet;
    let demand = problem.hour(t).demand_mw;
    let (n_dcs, n_gateways) = (fleet.dcs.len(), demand.len());
    let mut x = vec![0.0; n_dcs * n_gateways];
    for &(d, g, v) in values {
        if let Some(g) = g {
            x[flow_index(n_gateways, d, g)] = v.max(0.0);
        }
    }
    for (g, &demand_g) in demand.iter().enumerate() {
        let served: f64 = (0..n_dcs).map(|d| x[flow_index(n_gateways, d, g)]).sum();
        if served > 0.0 {
            (0..n_dcs).for_each(|d| x[flow_index(n_gateways, d, g)] *= demand_g / served);
        }
    }
    let load = |x: &[f64], d: usize| x[d * n_gateways..(d + 1) * n_gateways].iter().sum::<f64>();
    for d in 0..n_dcs {
        let mut excess = load(&x, d) - fleet.capacity_mw[d];
        for g in 0..n_gateways {
            for other in (0..n_dcs).filter(|&o| o != d && fleet.routing.allows(o, g)) {
                if excess <= 0.0 {
                    break;
                }
                let room = fleet.capacity_mw[other] - load(&x, other);
                let moved = excess.min(room).min(x[flow_index(n_gateways, d, g)]).max(0.0);
                x[flow_index(n_gateways, d, g)] -= moved;
                x[flow_index(n_gateways, other, g)] += moved;
                excess -= moved;
            }
        }
    }
    let allocation = Allocation::from_flows(n_gateways, x);
    if allocation.check(fleet, demand).is_ok() {
        return allocation;
    }
    // Rare: the excess needed a chain of moves.
    allocation::cheapest(problem.hour(t).price_usd_per_mwh, demand, fleet).unwrap_or(allocation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::allocation::CHECK_TOL_MW;

    #[test]
    fn repair_loads_meets_total_and_capacity() {
        let mut loads = vec![1.0 + 3e-9, -2e-9, 0.5];
        repair_loads(&mut loads, 1.5 + 1e-9, &[1.0, 1.0, 1.0]);
        assert!(loads.iter().all(|&l| (0.0..=1.0).contains(&l)));
        assert!((loads.iter().sum::<f64>() - (1.5 + 1e-9)).abs() < CHECK_TOL_MW * 1e-3);
    }
}
