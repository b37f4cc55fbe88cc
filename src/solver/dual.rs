//! The Lagrangian dual of the offline eGLB LP over its 2N coupling rows, the structure that makes
//! long horizons cheap.
//!
//! Pricing the coupling rows (a data center's water and carbon totals against the worst region's)
//! with multipliers `mu_water[dc]` (USD/m3) and `mu_carbon[dc]` (USD/t) splits the LP into
//! independent hours: each hour takes its cheapest allocation at the *modified* prices
//! `price + mu_water x v_w x water + mu_carbon x v_c x carbon`. The sum of those hourly minima,
//! [`Evaluation::value_usd`], is a lower bound on the optimum for any multipliers with
//! `mu >= 0`, `sum mu_water <= water weight` and `sum mu_carbon <= carbon weight`; its maximum
//! equals the optimum (LP duality). [`maximise`] finds the maximum by a proximal bundle method
//! (a small QP in 2N + 1 variables per step, [`super::bundle`]).

use rayon::prelude::*;

use std::collections::VecDeque;
use std::sync::Arc;

use super::bundle::{self, Cut};
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

/// Largest number of bundle steps (dual evaluations).
pub const MAX_STEPS: usize = 120;

/// Maximises the dual function by a proximal bundle method: each step maximises the
/// piecewise-linear model of the cuts so far less a quadratic penalty on the distance from the best
/// point ([`bundle::proximal_step`]; each multiplier measured as a fraction of its weight, the
/// penalty such that one cut alone would move the point a `radius` away), moves there if the true
/// value rises by at least a tenth of the predicted rise and doubles the radius (at most
/// [`LONGEST_RADIUS`]), and otherwise keeps the cut and halves it. The model keeps the cuts active
/// at the last step, the newest and the center's ([`bundle::compress`]). Stops when the model
/// predicts less than `tol_rel` x |value| of further rise (under a radius that may have shrunk: the
/// best point is then near-optimal only in proportion, which is why the caller certifies its plan
/// rather than trust it), when the radius falls below 1e-12, or when a master QP fails after the
/// first step (the best point so far is returned; the plan is certified all the same). Measured
/// against the box-step cutting plane this replaced (the whole offline solve, CPU seconds on one
/// thread, the scaling grid's fleets): 10 data centers x 457 hours 0.07 s against 0.13, 30 x 457
/// 0.31 against 0.74, 100 x 457 1.75 against 4.26; the dual alone comes within 1e-5 of the optimum
/// in 41 steps at 30 x 457, where the box needed about 105.
pub fn maximise(problem: &Problem, tol_rel: f64) -> Result<DualOptimum, SolveError> {
    maximise_from(problem, tol_rel, None)
}

/// The first radius (a fraction of each weight) from a cold start ...
const COLD_RADIUS: f64 = 0.5;
/// ... and from a warm start ...
const WARM_RADIUS: f64 = 0.02;
/// ... and the longest.
const LONGEST_RADIUS: f64 = 1.0;

/// [`maximise`] from `start` (made admissible) with a short first radius, when given: a warm start
/// from the multipliers of a similar problem (the previous window of a receding horizon).
pub fn maximise_from(
    problem: &Problem,
    tol_rel: f64,
    start: Option<&Multipliers>,
) -> Result<DualOptimum, SolveError> {
    let equity = &problem.fleet.equity;
    let n_dcs = problem.fleet.dcs.len();
    let (mut center, mut radius) = match start {
        Some(m) => (m.clone().admissible(equity), WARM_RADIUS),
        None => (
            Multipliers {
                water: vec![equity.water_usd_per_m3 / n_dcs as f64; n_dcs],
                carbon: vec![equity.carbon_usd_per_t / n_dcs as f64; n_dcs],
            },
            COLD_RADIUS,
        ),
    };
    let mut best = evaluate(problem, &center)?;
    let mut latest = best.clone();
    let mut recent = VecDeque::from([best.vertices.clone()]);
    let mut cuts = vec![Cut::of(&center, &best)];
    // A penalty of `gradient / radius` puts a one-cut model's step `radius` from the center.
    let gradient_usd = bundle::gradient_norm_usd(&cuts[0], equity);
    let mut expected_rise = best.value_usd.abs().max(1.0);
    let mut evaluations = 1;
    while evaluations < MAX_STEPS {
        let unit_usd = expected_rise.max(1e-12 * best.value_usd.abs().max(1.0));
        let master = match bundle::proximal_step(
            &cuts,
            &center,
            (best.value_usd, unit_usd),
            gradient_usd / radius,
            equity,
        ) {
            Ok(master) => master,
            Err(_) if evaluations > 1 => break, // the best point so far; the caller certifies
            Err(e) => return Err(e),
        };
        bundle::compress(&mut cuts, &master.active, &center);
        let rise = master.model_usd - best.value_usd;
        expected_rise = rise.max(0.0);
        if rise <= tol_rel * best.value_usd.abs().max(1.0) {
            break;
        }
        let trial = evaluate_near(problem, &master.point, Some(&latest))?;
        evaluations += 1;
        cuts.push(Cut::of(&master.point, &trial));
        if trial.value_usd - best.value_usd >= 0.1 * rise {
            center = master.point;
            best = trial.clone();
            radius = (radius * 2.0).min(LONGEST_RADIUS);
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
