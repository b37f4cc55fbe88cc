//! good_lp glue: the hourly transportation LP and the coupled offline min-max LP, and the choice
//! of backend for each.
//!
//! Both backends are pure Rust: microlp (an exact simplex) for the small hourly LPs, the offline
//! solver's small tied-hour LPs and as the exact reference for the offline LP, clarabel (an
//! interior-point method that also returns duals) for the offline LP at larger sizes.

use good_lp::constraint::ConstraintReference;
use good_lp::solvers::clarabel::{ClarabelProblem, clarabel};
use good_lp::{
    Constraint, DualValues, Expression, ProblemVariables, Solution, SolutionWithDual, SolverModel, Variable,
    WithTimeLimit, microlp, variable,
};

use super::dual::Multipliers;
use crate::error::SolveError;
use crate::model::allocation::{Allocation, flow_index};
use crate::model::{Fleet, Problem};

/// Name of the LP backends, as recorded in the manifest.
pub const BACKENDS: &str = "good_lp: clarabel (offline LP), microlp (hourly LPs, small tied-hour LPs, \
    exact reference); clarabel directly (the dual's QP master)";

/// The cheapest allocation of one hour's demand under masked routing: minimise
/// `sum unit_price[dc] x flow[dc, gateway]` with every gateway's demand served exactly,
/// capacity respected and flows only on allowed pairs.
pub fn transport(unit_price: &[f64], demand_mw: &[f64], fleet: &Fleet) -> Result<Allocation, SolveError> {
    let n_gateways = demand_mw.len();
    let mut vars = ProblemVariables::new();
    let mut flows: Vec<(usize, usize, Variable)> = Vec::new();
    for d in 0..fleet.dcs.len() {
        for (g, &demand) in demand_mw.iter().enumerate() {
            if fleet.routing.allows(d, g) && demand > 0.0 {
                flows.push((d, g, vars.add(variable().min(0.0))));
            }
        }
    }
    let mut objective = Expression::with_capacity(flows.len());
    let mut served = vec![Expression::default(); n_gateways];
    let mut loads = vec![Expression::default(); fleet.dcs.len()];
    for &(d, g, x) in &flows {
        objective.add_mul(unit_price[d], x);
        served[g].add_mul(1.0, x);
        loads[d].add_mul(1.0, x);
    }
    let mut model = vars.minimise(objective).using(microlp);
    for (g, expr) in served.into_iter().enumerate() {
        if demand_mw[g] > 0.0 {
            model.add_constraint(expr.eq(demand_mw[g]));
        }
    }
    for (d, expr) in loads.into_iter().enumerate() {
        model.add_constraint(expr.leq(fleet.capacity_mw[d]));
    }
    let solution = model.solve().map_err(|e| backend("hourly LP", e))?;
    let mut matrix = vec![0.0; fleet.dcs.len() * n_gateways];
    for &(d, g, x) in &flows {
        matrix[flow_index(n_gateways, d, g)] = solution.value(x).max(0.0);
    }
    Ok(Allocation::from_flows(n_gateways, matrix))
}

/// The offline eGLB LP over the whole horizon, in epigraph form:
///
/// ```text
/// minimise  sum_t sum_dc price x load + water_weight x z_water + carbon_weight x z_carbon
/// s.t.      v_w[dc] sum_t water[t,dc] x load[t,dc] <= z_water    for every dc   (m3)
///           v_c[dc] sum_t carbon[t,dc] x load[t,dc] <= z_carbon  for every dc   (t)
///           every hour: demand served, capacity respected, routing respected
/// ```
///
/// `v_w`, `v_c` are the data centers' vulnerability weights (1 unless the scenario sets them).
/// With full routing the variables are the per-data-center loads (a gateway's split does not
/// matter); otherwise one variable per allowed (data center, gateway) pair and hour.
pub struct OfflineLp {
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    /// Index in `constraints` of the first of the 2N coupling rows (N water, then N carbon).
    coupling_start: usize,
    /// Per hour: (dc, gateway or `None` for a per-dc load variable, variable).
    flows: Vec<Vec<(usize, Option<usize>, Variable)>>,
}

/// An offline LP solution: per-hour flows as the solver gave them (not yet repaired).
pub struct OfflineLpSolution {
    /// Per hour: the value of each variable of [`OfflineLp`], with its (dc, gateway).
    pub flows: Vec<Vec<(usize, Option<usize>, f64)>>,
    /// The LP's objective at the solver's values, USD.
    pub objective_usd: f64,
}

fn backend(solver: &'static str, e: impl std::fmt::Display) -> SolveError {
    SolveError::Backend {
        solver,
        reason: e.to_string(),
    }
}

impl OfflineLp {
    /// Builds the LP of `problem` (with what its regions carry into the horizon).
    pub fn build(problem: &Problem) -> OfflineLp {
        let hours: Vec<usize> = (0..problem.n_hours()).collect();
        let (water_m3, carbon_t) = problem.carried.totals(problem.fleet.dcs.len());
        Self::build_over(problem, &hours, &water_m3, &carbon_t)
    }

    /// The LP's flow variables per hour: a load per data center under full routing, else a flow
    /// per allowed pair.
    pub fn variables_per_hour(fleet: &Fleet) -> usize {
        match fleet.routing.is_full() {
            true => fleet.dcs.len(),
            false => fleet.routing.n_pairs(),
        }
    }

    /// Builds the LP of `problem` restricted to `hours`, the other hours' allocations being fixed
    /// elsewhere: `fixed_water_m3[dc]` and `fixed_carbon_t[dc]` (vulnerability-weighted) are their
    /// contributions to the coupling rows. The solution's flows are in the order of `hours`.
    pub fn build_over(
        problem: &Problem,
        hours: &[usize],
        fixed_water_m3: &[f64],
        fixed_carbon_t: &[f64],
    ) -> OfflineLp {
        let fleet = &problem.fleet;
        let n_dcs = fleet.dcs.len();
        let reduced = fleet.routing.is_full();
        let mut vars = ProblemVariables::new();
        let mut objective = Expression::with_capacity(hours.len() * n_dcs + 2);
        let mut water: Vec<Expression> = fixed_water_m3.iter().map(|&w| Expression::from(w)).collect();
        let mut carbon: Vec<Expression> = fixed_carbon_t.iter().map(|&c| Expression::from(c)).collect();
        let mut constraints = Vec::new();
        let mut flows = Vec::with_capacity(hours.len());
        for &t in hours {
            let hour = problem.hour(t);
            let hour_flows = hour_variables(&mut vars, fleet, hour.demand_mw, reduced);
            let mut served = vec![Expression::default(); hour.demand_mw.len()];
            let mut loads = vec![Expression::default(); n_dcs];
            let mut total = Expression::with_capacity(hour_flows.len());
            for &(d, g, x) in &hour_flows {
                objective.add_mul(hour.price_usd_per_mwh[d], x);
                let (water_m3_per_mwh, carbon_t_per_mwh) = fleet.weighted_intensity(&hour, d);
                water[d].add_mul(water_m3_per_mwh, x);
                carbon[d].add_mul(carbon_t_per_mwh, x);
                total.add_mul(1.0, x);
                if let Some(g) = g {
                    served[g].add_mul(1.0, x);
                }
                loads[d].add_mul(1.0, x);
            }
            if reduced {
                // Capacity is a variable bound; only the hour's total demand constrains the loads.
                constraints.push(total.eq(hour.demand_mw.iter().sum::<f64>()));
            } else {
                for (g, expr) in served.into_iter().enumerate() {
                    if hour.demand_mw[g] > 0.0 {
                        constraints.push(expr.eq(hour.demand_mw[g]));
                    }
                }
                for (d, expr) in loads.into_iter().enumerate() {
                    constraints.push(expr.leq(fleet.capacity_mw[d]));
                }
            }
            flows.push(hour_flows);
        }
        let z_water = vars.add(variable().min(0.0));
        let z_carbon = vars.add(variable().min(0.0));
        objective.add_mul(fleet.equity.water_usd_per_m3, z_water);
        objective.add_mul(fleet.equity.carbon_usd_per_t, z_carbon);
        let coupling_start = constraints.len();
        constraints.extend(water.into_iter().map(|w| w.leq(z_water)));
        constraints.extend(carbon.into_iter().map(|c| c.leq(z_carbon)));
        OfflineLp {
            vars,
            objective,
            constraints,
            coupling_start,
            flows,
        }
    }

    /// Solves with clarabel (interior point): fast, near-optimal, with the duals of the
    /// coupling rows (the multipliers of a Lagrangian bound).
    pub fn solve_interior(self) -> Result<(OfflineLpSolution, Multipliers), SolveError> {
        let OfflineLp {
            vars,
            objective,
            constraints,
            coupling_start,
            flows,
        } = self;
        let mut model = interior_model(vars, objective.clone());
        let refs: Vec<ConstraintReference> =
            constraints.into_iter().map(|c| model.add_constraint(c)).collect();
        let mut solution = model.solve().map_err(|e| backend("offline LP (clarabel)", e))?;
        let values = values_of(&flows, &solution);
        let objective_usd = solution.eval(&objective);
        let duals = solution.compute_dual();
        let coupling: Vec<f64> = refs[coupling_start..]
            .iter()
            .map(|r| duals.dual(r.clone()).abs())
            .collect();
        let n = coupling.len() / 2;
        let (water, carbon) = coupling.split_at(n);
        let solution = OfflineLpSolution {
            flows: values,
            objective_usd,
        };
        let duals = Multipliers {
            water: water.to_vec(),
            carbon: carbon.to_vec(),
        };
        Ok((solution, duals))
    }

    /// Solves with microlp (simplex): an exact vertex optimum, slower at size; the reference in
    /// tests. Fails after `time_limit_s` seconds, when given.
    pub fn solve_exact(self, time_limit_s: Option<f64>) -> Result<OfflineLpSolution, SolveError> {
        let OfflineLp {
            vars,
            objective,
            constraints,
            flows,
            ..
        } = self;
        let mut model = vars
            .minimise(objective.clone())
            .using(microlp)
            .with_all(constraints);
        if let Some(seconds) = time_limit_s {
            model = model.with_time_limit(seconds);
        }
        let solution = model.solve().map_err(|e| backend("offline LP (microlp)", e))?;
        Ok(OfflineLpSolution {
            flows: values_of(&flows, &solution),
            objective_usd: solution.eval(&objective),
        })
    }
}

/// A clarabel (interior point) model minimising `objective`, to 1e-10 in gap and feasibility.
pub(super) fn interior_model(vars: ProblemVariables, objective: Expression) -> ClarabelProblem {
    let mut model = vars.minimise(objective).using(clarabel);
    model
        .settings()
        .tol_gap_abs(1e-10)
        .tol_gap_rel(1e-10)
        .tol_feas(1e-10)
        .max_iter(400);
    model
}

/// One hour's variables: a load per data center (full routing) or a flow per allowed pair.
fn hour_variables(
    vars: &mut ProblemVariables,
    fleet: &Fleet,
    demand_mw: &[f64],
    reduced: bool,
) -> Vec<(usize, Option<usize>, Variable)> {
    if reduced {
        return (0..fleet.dcs.len())
            .map(|d| (d, None, vars.add(variable().min(0.0).max(fleet.capacity_mw[d]))))
            .collect();
    }
    let mut flows = Vec::new();
    for d in 0..fleet.dcs.len() {
        for (g, &demand) in demand_mw.iter().enumerate() {
            if fleet.routing.allows(d, g) && demand > 0.0 {
                flows.push((d, Some(g), vars.add(variable().min(0.0))));
            }
        }
    }
    flows
}

fn values_of(
    flows: &[Vec<(usize, Option<usize>, Variable)>],
    solution: &impl Solution,
) -> Vec<Vec<(usize, Option<usize>, f64)>> {
    flows
        .iter()
        .map(|hour| hour.iter().map(|&(d, g, x)| (d, g, solution.value(x))).collect())
        .collect()
}
