//! The Lagrangian dual of the offline eGLB LP over its 2N coupling rows, the structure that makes
//! long horizons cheap.
//!
//! Pricing the coupling rows (a data center's water and carbon totals against the worst region's)
//! with multipliers `mu_water[dc]` (USD/m3) and `mu_carbon[dc]` (USD/t) splits the LP into
//! independent hours: each hour takes its cheapest allocation at the *modified* prices
//! `price + mu_water x v_w x water + mu_carbon x v_c x carbon`. The sum of those hourly minima,
//! [`Evaluation::value_usd`], is a lower bound on the optimum for any multipliers with
//! `mu >= 0`, `sum mu_water <= water weight` and `sum mu_carbon <= carbon weight`; its maximum
//! equals the optimum (LP duality). [`maximise`] finds the maximum by cutting planes in a trust
//! region (a small LP in 2N variables per step, through good_lp).

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};
use rayon::prelude::*;

use std::collections::VecDeque;
use std::sync::Arc;

use super::vertex::Vertex;
use crate::error::SolveError;
use crate::model::allocation::Allocation;
use crate::model::{EquityWeights, Problem};

/// Coupling-row multipliers, per data center: water in USD/m3, carbon in USD/t.
#[derive(Debug, Clone, PartialEq)]
pub struct Multipliers {
    /// On each data center's (vulnerability-weighted) water total.
    pub water: Vec<f64>,
    /// On each data center's (vulnerability-weighted) carbon total.
    pub carbon: Vec<f64>,
}

impl Multipliers {
    /// The multipliers clipped at 0 and each group scaled down to sum to at most its equity
    /// weight: the domain where the dual function is a lower bound on the optimum.
    pub fn admissible(self, equity: &EquityWeights) -> Multipliers {
        let scaled = |m: Vec<f64>, weight: f64| -> Vec<f64> {
            let clipped: Vec<f64> = m.iter().map(|m| m.max(0.0)).collect();
            let sum: f64 = clipped.iter().sum();
            let factor = if sum > weight { weight / sum } else { 1.0 };
            clipped.iter().map(|m| m * factor).collect()
        };
        Multipliers {
            water: scaled(self.water, equity.water_usd_per_m3),
            carbon: scaled(self.carbon, equity.carbon_usd_per_t),
        }
    }
}

/// The dual function at some multipliers, with the hourly allocations that attain it.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The Lagrangian lower bound, USD.
    pub value_usd: f64,
    /// Per data center, vulnerability-weighted water of the allocations, m3 (the supergradient
    /// in the water multipliers).
    pub water_m3: Vec<f64>,
    /// The same for carbon, t.
    pub carbon_t: Vec<f64>,
    /// Per hour, the cheapest allocation at the modified prices (shared with the evaluations
    /// that reuse it).
    pub vertices: Vec<Arc<Vertex>>,
}

impl Evaluation {
    /// Every hour's allocation, as dense flow matrices.
    pub fn allocations(&self, n_gateways: usize) -> Vec<Allocation> {
        self.vertices.iter().map(|v| v.allocation(n_gateways)).collect()
    }
}

/// Modified unit prices of hour `t`, USD/MWh, given the multipliers times the vulnerability
/// weights ([`crate::model::Fleet::weighted_prices`]).
pub(super) fn modified_prices(
    problem: &Problem,
    t: usize,
    (water, carbon): &(Vec<f64>, Vec<f64>),
) -> Vec<f64> {
    problem.hour(t).unit_prices(1.0, water, carbon)
}

/// Horizons shorter than this are evaluated on one thread.
const PARALLEL_MIN_HOURS: usize = 168;

/// Evaluates the dual function at `m` (hours in parallel unless there are fewer than
/// [`PARALLEL_MIN_HOURS`], summed in hour order, so the result does not depend on the number of
/// threads).
pub fn evaluate(problem: &Problem, m: &Multipliers) -> Result<Evaluation, SolveError> {
    evaluate_near(problem, m, None)
}

/// [`evaluate`], reusing each hour's allocation in `known` (an evaluation of the same problem at
/// other multipliers) where it is still a cheapest one ([`Vertex::still_cheapest`]): the same
/// loads and value (to the check's tolerance), faster when the multipliers moved little; the
/// reused flows are the earlier ones.
pub fn evaluate_near(
    problem: &Problem,
    m: &Multipliers,
    known: Option<&Evaluation>,
) -> Result<Evaluation, SolveError> {
    let fleet = &problem.fleet;
    let weighted = fleet.weighted_prices(&m.water, &m.carbon);
    // Per hour: the cheapest allocation and its value at the modified prices.
    let hour = |t: usize| {
        let price = modified_prices(problem, t, &weighted);
        let vertex = match known.map(|k| &k.vertices[t]) {
            Some(v) if v.still_cheapest(&price) => Arc::clone(v),
            _ => Arc::new(Vertex::cheapest(&price, problem.hour(t).demand_mw, fleet)?),
        };
        Ok((vertex.value_usd(&price), vertex))
    };
    // A short horizon (a receding horizon's window) is not worth the threads' overhead.
    let hours = match problem.n_hours() < PARALLEL_MIN_HOURS {
        true => (0..problem.n_hours())
            .map(hour)
            .collect::<Result<Vec<_>, SolveError>>()?,
        false => (0..problem.n_hours())
            .into_par_iter()
            .map(hour)
            .collect::<Result<Vec<_>, SolveError>>()?,
    };
    let (water_m3, carbon_t) = weighted_totals(problem, hours.iter().map(|(_, v)| v.loads_mw.as_slice()));
    // What the regions carry into the horizon counts in their totals, priced by the multipliers.
    let (carried_water, carried_carbon) = problem.carried.totals(fleet.dcs.len());
    let carried_usd = |mu: &[f64], totals: &[f64]| mu.iter().zip(totals).map(|(m, t)| m * t).sum::<f64>();
    let value_usd = carried_usd(&m.water, &carried_water)
        + carried_usd(&m.carbon, &carried_carbon)
        + hours.iter().map(|(value, _)| value).sum::<f64>();
    Ok(Evaluation {
        value_usd,
        water_m3,
        carbon_t,
        vertices: hours.into_iter().map(|(_, v)| v).collect(),
    })
}

/// Per data center, the vulnerability-weighted water (m3) and carbon (t) of every hour's `loads`
/// (MW per data center, in hour order), with what the regions carry into the horizon.
pub fn weighted_totals<'a>(
    problem: &Problem,
    loads: impl Iterator<Item = &'a [f64]>,
) -> (Vec<f64>, Vec<f64>) {
    let fleet = &problem.fleet;
    let (mut water_m3, mut carbon_t) = problem.carried.totals(fleet.dcs.len());
    for (t, hour_loads) in loads.enumerate() {
        let hour = problem.hour(t);
        for (d, load) in hour_loads.iter().enumerate() {
            let (water_m3_per_mwh, carbon_t_per_mwh) = fleet.weighted_intensity(&hour, d);
            water_m3[d] += water_m3_per_mwh * load;
            carbon_t[d] += carbon_t_per_mwh * load;
        }
    }
    (water_m3, carbon_t)
}

/// The result of [`maximise`].
#[derive(Debug, Clone)]
pub struct DualOptimum {
    /// The best multipliers found.
    pub multipliers: Multipliers,
    /// The dual function there.
    pub evaluation: Evaluation,
    /// Dual function evaluations used.
    pub evaluations: usize,
    /// Per hour, the distinct cheapest allocations (by loads) of the last [`RECENT_EVALUATIONS`]
    /// evaluations: column generation's first columns when the dual leaves the plan to it.
    pub recent_columns: Vec<Vec<Arc<Vertex>>>,
}

/// Evaluations whose hourly allocations [`DualOptimum::recent_columns`] keeps. Measured as column
/// generation's first columns on the scaling grid (CPU seconds, one thread): the allocations at
/// the dual's best multipliers alone 0.85 s at (10, 2,190) and 2.28 s at (50, 457), with the last
/// 10 evaluations' 0.41 s and 1.11 s; 20 or 40 (in a first version) no better, and slower at 100
/// data centers.
pub const RECENT_EVALUATIONS: usize = 10;

/// Per hour, the distinct allocations (by loads) of `evaluations`' vertices, oldest first.
fn distinct_per_hour(evaluations: &VecDeque<Vec<Arc<Vertex>>>, n_hours: usize) -> Vec<Vec<Arc<Vertex>>> {
    let distinct = |t: usize| {
        let mut kept: Vec<Arc<Vertex>> = Vec::new();
        for vertex in evaluations.iter().map(|vertices| &vertices[t]) {
            if !kept.iter().any(|k| k.loads_mw == vertex.loads_mw) {
                kept.push(Arc::clone(vertex));
            }
        }
        kept
    };
    (0..n_hours).map(distinct).collect()
}

/// The dual function at zero multipliers (the cheapest-energy plan, a valid lower bound): the
/// starting point when the dual cannot be maximised.
pub fn at_zero(problem: &Problem) -> Result<DualOptimum, SolveError> {
    let n_dcs = problem.fleet.dcs.len();
    let multipliers = Multipliers {
        water: vec![0.0; n_dcs],
        carbon: vec![0.0; n_dcs],
    };
    let evaluation = evaluate(problem, &multipliers)?;
    Ok(DualOptimum {
        multipliers,
        recent_columns: evaluation.vertices.iter().map(|v| vec![Arc::clone(v)]).collect(),
        evaluation,
        evaluations: 1,
    })
}

/// A linear upper model of the dual function: `value + water . (mu_w - at_w) + carbon . (mu_c - at_c)`.
struct Cut {
    value: f64,
    at: Multipliers,
    water: Vec<f64>,
    carbon: Vec<f64>,
}

/// Largest number of cutting-plane steps.
pub const MAX_STEPS: usize = 120;

/// Maximises the dual function by a proximal cutting-plane (box-step bundle) method: each step
/// maximises the piecewise-linear model of all cuts so far within a box around the best point,
/// moves there if the true value rises by at least a tenth of the predicted rise, and otherwise
/// keeps the cut and shrinks the box. Stops when the model predicts less than `tol_rel` x |value|
/// of further rise within the box (a box that may have shrunk: the best point is then near-optimal
/// only in proportion to the box, which is why the caller certifies its plan rather than trust it).
pub fn maximise(problem: &Problem, tol_rel: f64) -> Result<DualOptimum, SolveError> {
    maximise_from(problem, tol_rel, None)
}

/// [`maximise`] from `start` (made admissible) in a small box, when given: a warm start from the
/// multipliers of a similar problem (the previous window of a receding horizon). A warm start keeps
/// a small bundle ([`compress`]): each master LP is cheaper, for a few more steps (measured on the
/// 2022 year's `rhc` windows: the dual's time a fifth less; from a cold start it costs more steps
/// than it saves, up to a quarter more time at 10 data centers x 2,190 hours).
pub fn maximise_from(
    problem: &Problem,
    tol_rel: f64,
    start: Option<&Multipliers>,
) -> Result<DualOptimum, SolveError> {
    let fleet = &problem.fleet;
    let n_dcs = fleet.dcs.len();
    let weights = (fleet.equity.water_usd_per_m3, fleet.equity.carbon_usd_per_t);
    let (mut center, mut radius) = match start {
        Some(m) => (m.clone().admissible(&fleet.equity), 0.02),
        None => (
            Multipliers {
                water: vec![weights.0 / n_dcs as f64; n_dcs],
                carbon: vec![weights.1 / n_dcs as f64; n_dcs],
            },
            0.5,
        ),
    };
    let mut best = evaluate(problem, &center)?;
    let mut latest = best.clone();
    let mut recent = VecDeque::from([best.vertices.clone()]);
    let mut cuts = vec![cut_of(&center, &best)];
    let mut evaluations = 1;
    while evaluations < MAX_STEPS {
        let (candidate, predicted, active) = master_step(&cuts, &center, radius, weights)?;
        if start.is_some() {
            compress(&mut cuts, &active, &center);
        }
        let rise = predicted - best.value_usd;
        if rise <= tol_rel * best.value_usd.abs().max(1.0) {
            break;
        }
        let trial = evaluate_near(problem, &candidate, Some(&latest))?;
        evaluations += 1;
        cuts.push(cut_of(&candidate, &trial));
        if trial.value_usd - best.value_usd >= 0.1 * rise {
            center = candidate;
            best = trial.clone();
            radius = (radius * 2.0).min(1.0);
        } else {
            radius *= 0.5;
        }
        if recent.len() == RECENT_EVALUATIONS {
            recent.pop_front();
        }
        recent.push_back(trial.vertices.clone());
        latest = trial;
        if radius < 1e-12 {
            break;
        }
    }
    Ok(DualOptimum {
        multipliers: center,
        evaluation: best,
        evaluations,
        recent_columns: distinct_per_hour(&recent, problem.n_hours()),
    })
}

impl Cut {
    /// The cut's value at `m`.
    fn at(&self, m: &Multipliers) -> f64 {
        let rise = |g: &[f64], mu: &[f64], at: &[f64]| -> f64 {
            g.iter().zip(mu).zip(at).map(|((g, mu), at)| g * (mu - at)).sum()
        };
        self.value
            + rise(&self.water, &m.water, &self.at.water)
            + rise(&self.carbon, &m.carbon, &self.at.carbon)
    }
}

/// Cuts a warm start keeps besides the active ones: the newest, which describe the model near the
/// latest candidate.
const KEPT_NEWEST: usize = 3;

/// Drops the cuts not `active` at the last master's solution, but the [`KEPT_NEWEST`] newest and
/// the one made at `center` (which keeps the model exact there, so the predicted rise can still
/// fall below the stopping tolerance): a smaller master LP. The model stays an upper bound on the
/// dual function (each cut is), so the stopping test stays safe; a dropped cut can only cost steps.
fn compress(cuts: &mut Vec<Cut>, active: &[bool], center: &Multipliers) {
    let oldest_kept = cuts.len().saturating_sub(KEPT_NEWEST);
    let mut index = 0..;
    cuts.retain(|cut| {
        let i = index.next().unwrap_or_default();
        active[i] || i >= oldest_kept || cut.at == *center
    });
}

fn cut_of(at: &Multipliers, e: &Evaluation) -> Cut {
    Cut {
        value: e.value_usd,
        at: at.clone(),
        water: e.water_m3.clone(),
        carbon: e.carbon_t.clone(),
    }
}

/// Maximises the cutting-plane model within the box of `radius` (a fraction of each weight)
/// around `center`, intersected with the dual domain. Returns the point, the model's value there,
/// and which cuts are active (attain the model's value) there.
fn master_step(
    cuts: &[Cut],
    center: &Multipliers,
    radius: f64,
    (water_weight, carbon_weight): (f64, f64),
) -> Result<(Multipliers, f64, Vec<bool>), SolveError> {
    let mut vars = ProblemVariables::new();
    let boxed = |vars: &mut ProblemVariables, c: &[f64], weight: f64| -> Vec<Variable> {
        c.iter()
            .map(|&c| {
                let (low, high) = ((c - radius * weight).max(0.0), (c + radius * weight).min(weight));
                vars.add(variable().min(low).max(high.max(low)))
            })
            .collect()
    };
    let water = boxed(&mut vars, &center.water, water_weight);
    let carbon = boxed(&mut vars, &center.carbon, carbon_weight);
    let theta = vars.add(variable());
    let mut model = vars.maximise(theta).using(microlp);
    let sum = |xs: &[Variable]| xs.iter().fold(Expression::default(), |e, &x| e + x);
    model.add_constraint(sum(&water).leq(water_weight));
    model.add_constraint(sum(&carbon).leq(carbon_weight));
    for cut in cuts {
        // theta <= value + g . (mu - at), as theta - g . mu <= value - g . at (built term by term:
        // cheaper than good_lp's expression arithmetic).
        let mut lhs = Expression::with_capacity(2 * water.len() + 1);
        lhs.add_mul(1.0, theta);
        let mut rhs = cut.value;
        for d in 0..water.len() {
            lhs.add_mul(-cut.water[d], water[d]);
            lhs.add_mul(-cut.carbon[d], carbon[d]);
            rhs -= cut.water[d] * cut.at.water[d] + cut.carbon[d] * cut.at.carbon[d];
        }
        model.add_constraint(lhs.leq(rhs));
    }
    let solution = model.solve().map_err(|e| SolveError::Backend {
        solver: "dual master LP",
        reason: e.to_string(),
    })?;
    let point = Multipliers {
        water: water.iter().map(|&x| solution.value(x)).collect(),
        carbon: carbon.iter().map(|&x| solution.value(x)).collect(),
    };
    let theta = solution.value(theta);
    let active = cuts
        .iter()
        .map(|cut| cut.at(&point) - theta <= 1e-9 * theta.abs().max(1.0))
        .collect();
    let equity = EquityWeights {
        water_usd_per_m3: water_weight,
        carbon_usd_per_t: carbon_weight,
    };
    Ok((point.admissible(&equity), theta, active))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_keeps_the_active_cuts_the_newest_and_the_centers_in_order() {
        let cut = |value: f64| Cut {
            value,
            at: Multipliers {
                water: vec![0.0],
                carbon: vec![0.0],
            },
            water: vec![1.0],
            carbon: vec![1.0],
        };
        let mut cuts: Vec<Cut> = (0..7).map(|i| cut(i as f64)).collect();
        let center = Multipliers {
            water: vec![0.5],
            carbon: vec![0.0],
        };
        cuts[0].at = center.clone();
        let active = [false, true, false, true, false, false, false];
        compress(&mut cuts, &active, &center);
        let kept: Vec<f64> = cuts.iter().map(|c| c.value).collect();
        assert_eq!(kept, [0.0, 1.0, 3.0, 4.0, 5.0, 6.0]);
        let mut few: Vec<Cut> = (0..2).map(|i| cut(i as f64)).collect();
        compress(&mut few, &[false, false], &center);
        assert_eq!(few.len(), 2, "fewer cuts than the newest kept: all stay");
    }
}
