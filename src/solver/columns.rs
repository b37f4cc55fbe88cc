//! Column generation (Dantzig–Wolfe) over the hours of the offline LP: the exact optimum as a
//! convex combination, in each hour, of cheapest allocations at successive multipliers.
//!
//! Each hour's allocations form a polytope whose vertices the hourly oracle
//! ([`crate::model::allocation::cheapest`]) finds: the cheapest at some modified prices. The
//! *master* LP chooses, per hour, weights (summing to one) on the vertices found so far (the
//! columns), and the two epigraph variables, under the 2N coupling rows; an hour with a single
//! column is a constant. Its coupling-row duals are multipliers at which every hour's cheapest
//! allocation is computed again ([`super::dual::evaluate`]): an hour whose new allocation is
//! cheaper there than all its columns gains it as a column. The sum of those hourly minima is the
//! Lagrangian lower bound, and the master's plan (each hour's weighted flows, exactly feasible as a
//! convex combination of feasible allocations) is the upper bound: the iteration stops when they
//! are within [`super::offline::CERTIFIED_REL_GAP`].
//!
//! Columns are a hour's loads and its flows, sparse (a vertex has at most one flow per data center
//! and gateway more than the gateways). The master is solved by interior point (clarabel through
//! good_lp), whose central duals keep successive multipliers from jumping between extremes.
//!
//! A receding horizon's window starts from the previous window's [`Pool`]: the columns its plan
//! weighs, for the hours the two share with the same demand.

use good_lp::constraint::ConstraintReference;
use good_lp::{
    DualValues, Expression, ProblemVariables, Solution, SolutionWithDual, SolverModel, Variable, variable,
};

use std::collections::HashMap;
use std::sync::Arc;

use super::dual::{self, Evaluation, Multipliers};
use super::offline::loads_of;
use super::vertex::Vertex;
use crate::error::SolveError;
use crate::metrics;
use crate::model::allocation::{Allocation, flow_index};
use crate::model::{Fleet, Problem};

/// One of an hour's cheapest allocations at some multipliers.
pub type Column = Arc<Vertex>;

/// The outcome of [`solve`]: the plan, its objective, the best bound and the work it took.
pub struct Generated {
    /// Every hour's allocation.
    pub allocations: Vec<Allocation>,
    /// The plan's objective, USD.
    pub objective_usd: f64,
    /// The best Lagrangian bound found, USD.
    pub lower_bound_usd: f64,
    /// The multipliers of that bound.
    pub multipliers: Multipliers,
    /// Dual evaluations (one per master solve, plus the first).
    pub evaluations: usize,
    /// Hours whose plan mixes two or more columns.
    pub mixed_hours: usize,
    /// Per hour, the columns the plan weighs.
    pub weighed: Vec<Vec<Column>>,
}

/// Columns of a problem, per hour, with what makes them feasible allocations of an hour: the
/// fleet, and the hour's demand. A receding horizon's window hands the columns its plan weighs to
/// the next window, which shares all its hours but the first.
#[derive(Debug, Clone)]
pub struct Pool {
    fleet: Fleet,
    hours: Vec<String>,
    demand_mw: Vec<Vec<f64>>,
    columns: Vec<Vec<Column>>,
}

impl Pool {
    /// `columns` of `problem`, per hour.
    pub fn new(problem: &Problem, columns: Vec<Vec<Column>>) -> Pool {
        Pool {
            fleet: problem.fleet.clone(),
            hours: problem.hours.clone(),
            demand_mw: problem.demand_mw.clone(),
            columns,
        }
    }

    /// Per hour of `problem`, the pool's columns of the hour with the same name and the same demand:
    /// feasible allocations there (the master prices them at the hour's own prices and
    /// intensities). None for another hour, and none at all if the fleets differ.
    pub fn columns_for(&self, problem: &Problem) -> Vec<Vec<Column>> {
        let mut columns = vec![Vec::new(); problem.n_hours()];
        if self.fleet != problem.fleet {
            return columns;
        }
        let index: HashMap<&str, usize> = (self.hours.iter().enumerate())
            .map(|(k, name)| (name.as_str(), k))
            .collect();
        for (t, hour_columns) in columns.iter_mut().enumerate() {
            match index.get(problem.hours[t].as_str()) {
                Some(&k) if self.demand_mw[k] == problem.demand_mw[t] => {
                    hour_columns.extend(self.columns[k].iter().cloned())
                }
                _ => {}
            }
        }
        columns
    }
}

/// Largest number of master solves over a whole horizon.
pub const MAX_ROUNDS: usize = 300;

/// Generates columns from the admissible multipliers `start` and, per hour, the `initial` columns
/// (feasible allocations of the hour; any hours past its end have none) until the plan is within
/// `gap_rel` of the bound, or `max_rounds` master solves (then returns the last plan, uncertified:
/// the caller checks).
pub fn solve(
    problem: &Problem,
    start: &Multipliers,
    gap_rel: f64,
    initial: Vec<Vec<Column>>,
    max_rounds: usize,
) -> Result<Generated, SolveError> {
    let first = dual::evaluate(problem, start)?;
    let mut columns = initial;
    columns.resize(problem.n_hours(), Vec::new());
    add_columns(problem, start, &first, &mut columns);
    let mut best = (first.value_usd, start.clone());
    let mut evaluations = 1;
    let mut rows = Rows::default();
    rows.activate(&first.water_m3, &first.carbon_t, INITIAL_ROW_SHARE);
    let mut latest = first;
    loop {
        let master = Master::solve(problem, &columns, &rows)?;
        let m = master.duals.clone().admissible(&problem.fleet.equity);
        let at_m = dual::evaluate_near(problem, &m, Some(&latest))?;
        evaluations += 1;
        if at_m.value_usd > best.0 {
            best = (at_m.value_usd, m.clone());
        }
        // The plan's loads, without its flows (built once, at the end).
        let loads = master.loads(&columns);
        let objective_usd = metrics::objective_usd(problem, &loads);
        let (water_m3, carbon_t) = dual::weighted_totals(problem, loads.iter().map(Vec::as_slice));
        let activated = rows.activate(&water_m3, &carbon_t, ROW_SHARE);
        let certified = objective_usd - best.0 <= gap_rel * objective_usd.abs().max(1.0);
        let added = match certified || evaluations > max_rounds {
            true => 0,
            false => add_columns(problem, &m, &at_m, &mut columns),
        };
        let stop = certified || evaluations > max_rounds || added + activated == 0;
        if stop {
            let plan = master.plan(problem, &columns);
            return Ok(Generated {
                objective_usd: metrics::objective_usd(problem, &loads_of(&plan)),
                allocations: plan,
                lower_bound_usd: best.0,
                multipliers: best.1,
                evaluations,
                mixed_hours: master.mixed_hours(),
                weighed: master.weighed(&columns),
            });
        }
        latest = at_m;
    }
}

/// A data center's coupling row joins the master when its total reaches this share of the
/// group's highest, at the first multipliers ...
const INITIAL_ROW_SHARE: f64 = 0.7;
/// ... and in a master's plan.
const ROW_SHARE: f64 = 0.9;

/// Which data centers' coupling rows the master holds: those whose totals came near the highest.
/// The others' multipliers are zero, which keeps the bound valid; a plan that takes one of them
/// past the highest brings its row in (the plan's objective counts every data center).
#[derive(Default)]
struct Rows {
    water: Vec<bool>,
    carbon: Vec<bool>,
}

impl Rows {
    /// Activates the rows whose totals reach `share` of their group's highest; returns how many.
    fn activate(&mut self, water_m3: &[f64], carbon_t: &[f64], share: f64) -> usize {
        let mut activated = 0;
        for (active, totals) in [(&mut self.water, water_m3), (&mut self.carbon, carbon_t)] {
            active.resize(totals.len(), false);
            let highest = totals.iter().copied().fold(0.0, f64::max);
            for (a, &total) in active.iter_mut().zip(totals) {
                if !*a && total >= share * highest {
                    *a = true;
                    activated += 1;
                }
            }
        }
        activated
    }
}

/// Adds, in every hour, the cheapest allocation at `m` if the hour has no column or it costs less
/// there than each of them; returns how many were added.
fn add_columns(problem: &Problem, m: &Multipliers, at_m: &Evaluation, columns: &mut [Vec<Column>]) -> usize {
    let weighted = problem.fleet.weighted_prices(&m.water, &m.carbon);
    let mut added = 0;
    for (t, hour_columns) in columns.iter_mut().enumerate() {
        let price = problem.hour(t).unit_prices(1.0, &weighted.0, &weighted.1);
        let new = &at_m.vertices[t];
        let new_cost = new.value_usd(&price);
        let cheapest = hour_columns
            .iter()
            .map(|c| c.value_usd(&price))
            .fold(f64::INFINITY, f64::min);
        if hour_columns.is_empty() || new_cost < cheapest - 1e-9 * cheapest.abs().max(1.0) {
            hour_columns.push(Arc::clone(new));
            added += 1;
        }
    }
    added
}

/// A solved master LP: each column's weight and the coupling rows' duals.
struct Master {
    /// Per hour, its columns' weights (a single column weighs 1).
    weights: Vec<Vec<f64>>,
    duals: Multipliers,
}

/// The master LP before solving: its variables, objective, and rows as expressions.
struct MasterLp {
    vars: ProblemVariables,
    objective: Expression,
    /// Per data center, the coupling rows' left-hand sides (inactive rows unused).
    water: Vec<Expression>,
    carbon: Vec<Expression>,
    /// One row per hour of two or more columns: their weights sum to one.
    convexity: Vec<Expression>,
    /// Per hour, each column's weight variable (none for a hour's single column).
    lambdas: Vec<Vec<Option<Variable>>>,
}

impl MasterLp {
    fn build(problem: &Problem, columns: &[Vec<Column>], rows: &Rows) -> MasterLp {
        let fleet = &problem.fleet;
        let (carried_water, carried_carbon) = problem.carried.totals(fleet.dcs.len());
        let mut lp = MasterLp {
            vars: ProblemVariables::new(),
            objective: Expression::default(),
            water: carried_water.into_iter().map(Expression::from).collect(),
            carbon: carried_carbon.into_iter().map(Expression::from).collect(),
            convexity: Vec::new(),
            lambdas: Vec::with_capacity(columns.len()),
        };
        for (t, hour_columns) in columns.iter().enumerate() {
            let hour = problem.hour(t);
            let mut sum = Expression::default();
            let mut hour_lambdas = Vec::with_capacity(hour_columns.len());
            for column in hour_columns {
                let lambda = (hour_columns.len() > 1).then(|| lp.vars.add(variable().min(0.0)));
                let weight = |e: &mut Expression, coefficient: f64| match lambda {
                    Some(x) => e.add_mul(coefficient, x),
                    None => *e += coefficient,
                };
                for (d, &load) in column.loads_mw.iter().enumerate().filter(|(_, l)| **l != 0.0) {
                    let (water_m3_per_mwh, carbon_t_per_mwh) = fleet.weighted_intensity(&hour, d);
                    weight(&mut lp.objective, hour.price_usd_per_mwh[d] * load);
                    if rows.water[d] {
                        weight(&mut lp.water[d], water_m3_per_mwh * load);
                    }
                    if rows.carbon[d] {
                        weight(&mut lp.carbon[d], carbon_t_per_mwh * load);
                    }
                }
                lambda.iter().for_each(|&x| sum.add_mul(1.0, x));
                hour_lambdas.push(lambda);
            }
            if hour_columns.len() > 1 {
                lp.convexity.push(sum);
            }
            lp.lambdas.push(hour_lambdas);
        }
        lp
    }
}

impl Master {
    fn solve(problem: &Problem, columns: &[Vec<Column>], rows: &Rows) -> Result<Master, SolveError> {
        let fleet = &problem.fleet;
        let MasterLp {
            mut vars,
            mut objective,
            water,
            carbon,
            convexity,
            lambdas,
        } = MasterLp::build(problem, columns, rows);
        let z_water = vars.add(variable().min(0.0));
        let z_carbon = vars.add(variable().min(0.0));
        objective.add_mul(fleet.equity.water_usd_per_m3, z_water);
        objective.add_mul(fleet.equity.carbon_usd_per_t, z_carbon);
        let mut model = super::lp::interior_model(vars, objective);
        convexity.into_iter().for_each(|c| {
            model.add_constraint(c.eq(1.0));
        });
        let mut add =
            |row: Expression, z: Variable, active: bool| active.then(|| model.add_constraint(row.leq(z)));
        let coupling: Vec<Option<ConstraintReference>> = (water.into_iter().zip(&rows.water))
            .map(|(w, &active)| add(w, z_water, active))
            .collect::<Vec<_>>()
            .into_iter()
            .chain(
                carbon
                    .into_iter()
                    .zip(&rows.carbon)
                    .map(|(c, &active)| add(c, z_carbon, active)),
            )
            .collect();
        let mut solution = model.solve().map_err(|e| SolveError::Backend {
            solver: "column generation master LP (clarabel)",
            reason: e.to_string(),
        })?;
        let weights = lambdas
            .iter()
            .map(|hour| {
                hour.iter()
                    .map(|x| x.map_or(1.0, |x| solution.value(x).max(0.0)))
                    .collect()
            })
            .collect();
        let duals = solution.compute_dual();
        let mu: Vec<f64> = coupling
            .iter()
            .map(|r| r.as_ref().map_or(0.0, |r| duals.dual(r.clone()).abs()))
            .collect();
        let (water, carbon) = mu.split_at(fleet.dcs.len());
        Ok(Master {
            weights,
            duals: Multipliers {
                water: water.to_vec(),
                carbon: carbon.to_vec(),
            },
        })
    }

    /// Every hour's loads: its columns' loads, weighted (the weights scaled to sum to one).
    fn loads(&self, columns: &[Vec<Column>]) -> Vec<Vec<f64>> {
        columns
            .iter()
            .zip(&self.weights)
            .map(|(hour_columns, weights)| {
                let total: f64 = weights.iter().sum();
                let mut loads = vec![0.0; hour_columns[0].loads_mw.len()];
                for (column, w) in hour_columns.iter().zip(weights) {
                    loads
                        .iter_mut()
                        .zip(&column.loads_mw)
                        .for_each(|(l, y)| *l += w / total * y);
                }
                loads
            })
            .collect()
    }

    /// Every hour's allocation: its columns' flows, weighted (the weights scaled to sum to one).
    fn plan(&self, problem: &Problem, columns: &[Vec<Column>]) -> Vec<Allocation> {
        let (n_dcs, n_gateways) = (problem.fleet.dcs.len(), problem.fleet.gateways.len());
        columns
            .iter()
            .zip(&self.weights)
            .map(|(hour_columns, weights)| {
                let total: f64 = weights.iter().sum();
                let mut flows = vec![0.0; n_dcs * n_gateways];
                for (column, w) in hour_columns.iter().zip(weights) {
                    for f in &column.flows {
                        flows[flow_index(n_gateways, f.dc as usize, f.gateway as usize)] +=
                            w / total * f.load_mw;
                    }
                }
                Allocation::from_flows(n_gateways, flows)
            })
            .collect()
    }

    /// Per hour, the columns of positive weight.
    fn weighed(&self, columns: &[Vec<Column>]) -> Vec<Vec<Column>> {
        let weighed = |(hour_columns, weights): (&Vec<Column>, &Vec<f64>)| {
            let kept = hour_columns.iter().zip(weights).filter(|(_, w)| **w > 1e-9);
            kept.map(|(column, _)| Arc::clone(column)).collect()
        };
        columns.iter().zip(&self.weights).map(weighed).collect()
    }

    fn mixed_hours(&self) -> usize {
        let mixed = |w: &Vec<f64>| w.iter().filter(|&&x| x > 1e-9).count() > 1;
        self.weights.iter().filter(|w| mixed(w)).count()
    }
}
