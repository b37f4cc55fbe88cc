//! `eglb-offline` (the paper's eGLB-Off, the authors' "Equitable"): the min-max LP over the whole
//! horizon, solved once with full knowledge of the future and replayed hour by hour.
//!
//! The coupled LP ([`OfflineLp`]) is solved with an interior-point method, whose point is optimal
//! to ~1e-9 but may miss a constraint by as much. It is repaired to an exactly feasible allocation
//! (clamp, rescale, move the last excess), then certified: the duals of the 2N coupling rows give
//! a Lagrangian lower bound (a sum of independent hourly cheapest allocations), and the repaired
//! allocation's objective must be within [`CERTIFIED_REL_GAP`] of it. If it is not, or the
//! interior solve fails, the LP is solved again with an exact simplex.

use crate::allocation::{self, Allocation};
use crate::lp::{OfflineLp, OfflineLpSolution};
use crate::metrics;
use crate::problem::{HourInputs, Problem};

use super::Policy;

/// Largest relative gap between the reported objective and the certified lower bound.
pub const CERTIFIED_REL_GAP: f64 = 1e-7;

/// How close the reported allocation is proven to be to the optimum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfflineCertificate {
    /// Objective of the reported (feasible) allocation, USD.
    pub objective_usd: f64,
    /// A proven lower bound on the optimum, USD (equal to the objective for the simplex path).
    pub lower_bound_usd: f64,
    /// `"interior point + repair"` or `"simplex"`.
    pub method: &'static str,
}

/// The offline optimum, replayed.
pub struct EglbOffline {
    allocations: Vec<Allocation>,
    certificate: OfflineCertificate,
}

impl EglbOffline {
    /// Solves the coupled LP of `problem` (interior point, certified; simplex as fallback).
    pub fn solve(problem: &Problem) -> Result<EglbOffline, String> {
        match Self::solve_certified(problem) {
            Ok(Some(offline)) => Ok(offline),
            // Not certified, or the interior path failed somewhere: the exact simplex decides.
            Ok(None) | Err(_) => Self::solve_exact(problem),
        }
    }

    /// The interior-point path: `Some` only if the repaired allocation is certified.
    fn solve_certified(problem: &Problem) -> Result<Option<EglbOffline>, String> {
        let solution = OfflineLp::build(problem).solve_interior()?;
        let allocations = repair(problem, &solution)?;
        let objective_usd = metrics::objective_usd(problem, &loads_of(&allocations));
        let (water, carbon) = solution.duals.as_ref().expect("the interior solve returns duals");
        let lower_bound_usd = lagrangian_bound(problem, water, carbon)?;
        if objective_usd - lower_bound_usd > CERTIFIED_REL_GAP * objective_usd.abs().max(1.0) {
            return Ok(None);
        }
        let certificate = OfflineCertificate {
            objective_usd,
            lower_bound_usd,
            method: "interior point + repair",
        };
        Ok(Some(EglbOffline {
            allocations,
            certificate,
        }))
    }

    /// Solves the coupled LP with the exact simplex only (slower; the reference).
    pub fn solve_exact(problem: &Problem) -> Result<EglbOffline, String> {
        let solution = OfflineLp::build(problem).solve_exact()?;
        let allocations = repair(problem, &solution)?;
        let objective_usd = metrics::objective_usd(problem, &loads_of(&allocations));
        let certificate = OfflineCertificate {
            objective_usd,
            lower_bound_usd: objective_usd,
            method: "simplex",
        };
        Ok(EglbOffline {
            allocations,
            certificate,
        })
    }

    /// The optimality certificate of the solution.
    pub fn certificate(&self) -> OfflineCertificate {
        self.certificate
    }

    /// The allocation of every hour.
    pub fn allocations(&self) -> &[Allocation] {
        &self.allocations
    }
}

impl Policy for EglbOffline {
    fn name(&self) -> &'static str {
        "eglb-offline"
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, String> {
        Ok(self.allocations[hour.hour].clone())
    }

    fn notes(&self) -> Vec<String> {
        let c = self.certificate;
        vec![format!(
            "eglb-offline: {}; objective {:.6} USD, certified lower bound {:.6} USD (relative gap {:.1e})",
            c.method,
            c.objective_usd,
            c.lower_bound_usd,
            (c.objective_usd - c.lower_bound_usd) / c.objective_usd.abs().max(1.0)
        )]
    }
}

fn loads_of(allocations: &[Allocation]) -> Vec<Vec<f64>> {
    allocations.iter().map(Allocation::dc_loads_mw).collect()
}

/// Lower bound on the optimum from coupling-row multipliers (clipped to >= 0, scaled so each
/// group sums to at most its equity weight, which keeps the bound valid for any multipliers).
fn lagrangian_bound(problem: &Problem, water: &[f64], carbon: &[f64]) -> Result<f64, String> {
    let fleet = &problem.fleet;
    let water = scaled_to(water, fleet.equity.water_usd_per_m3);
    let carbon = scaled_to(carbon, fleet.equity.carbon_usd_per_t);
    let mut bound = 0.0;
    for t in 0..problem.n_hours() {
        let hour = problem.hour(t);
        let price: Vec<f64> = (0..fleet.dcs.len())
            .map(|d| {
                hour.price_usd_per_mwh[d]
                    + water[d] * fleet.water_vulnerability[d] * hour.water_l_per_kwh[d]
                    + carbon[d] * fleet.carbon_vulnerability[d] * hour.carbon_kg_per_kwh[d]
            })
            .collect();
        let loads = allocation::cheapest(&price, hour.demand_mw, fleet)?.dc_loads_mw();
        bound += price.iter().zip(&loads).map(|(p, y)| p * y).sum::<f64>();
    }
    Ok(bound)
}

fn scaled_to(multipliers: &[f64], weight: f64) -> Vec<f64> {
    let clipped: Vec<f64> = multipliers.iter().map(|m| m.max(0.0)).collect();
    let sum: f64 = clipped.iter().sum();
    let factor = if sum > weight { weight / sum } else { 1.0 };
    clipped.iter().map(|m| m * factor).collect()
}

/// Turns the solver's per-hour values into exactly feasible allocations.
fn repair(problem: &Problem, solution: &OfflineLpSolution) -> Result<Vec<Allocation>, String> {
    let fleet = &problem.fleet;
    (0..problem.n_hours())
        .map(|t| {
            let demand = problem.hour(t).demand_mw;
            let allocation = if fleet.routing.is_full() {
                let mut loads = vec![0.0; fleet.dcs.len()];
                for &(d, _, v) in &solution.flows[t] {
                    loads[d] = v;
                }
                repair_loads(&mut loads, demand.iter().sum(), &fleet.capacity_mw);
                Allocation::split_loads(&loads, demand)
            } else {
                repair_flows(problem, t, &solution.flows[t])
            };
            allocation
                .check(fleet, demand)
                .map_err(|e| format!("hour {}: repaired allocation: {e}", problem.hours[t]))?;
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
        x[d * n_gateways + g.expect("masked model has per-pair flows")] = v.max(0.0);
    }
    for (g, &demand_g) in demand.iter().enumerate() {
        let served: f64 = (0..n_dcs).map(|d| x[d * n_gateways + g]).sum();
        if served > 0.0 {
            (0..n_dcs).for_each(|d| x[d * n_gateways + g] *= demand_g / served);
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
                let moved = excess.min(room).min(x[d * n_gateways + g]).max(0.0);
                x[d * n_gateways + g] -= moved;
                x[other * n_gateways + g] += moved;
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
    use crate::allocation::CHECK_TOL_MW;

    #[test]
    fn repair_loads_meets_total_and_capacity() {
        let mut loads = vec![1.0 + 3e-9, -2e-9, 0.5];
        repair_loads(&mut loads, 1.5 + 1e-9, &[1.0, 1.0, 1.0]);
        assert!(loads.iter().all(|&l| (0.0..=1.0).contains(&l)));
        assert!((loads.iter().sum::<f64>() - (1.5 + 1e-9)).abs() < CHECK_TOL_MW * 1e-3);
    }
}
