//! The certified offline optimum: the min-max LP over the whole horizon (what `eglb-offline`
//! replays; docs/model.md §4.3).
//!
//! The LP couples hours only through the 2N rows that compare each data center's water and carbon
//! totals with the worst region's. [`super::dual`] prices those rows and maximises the resulting
//! Lagrangian dual, a sum of independent hourly cheapest allocations, to about 1e-10. Its hourly
//! allocations are optimal in every hour whose data-center ranking the remaining uncertainty in the
//! multipliers cannot change; the few *tied* hours are then solved jointly as the coupled LP
//! ([`OfflineLp::build_over`]) with the other hours fixed: by the simplex first when small
//! ([`SIMPLEX_MAX_VARIABLES`]), by interior point otherwise or if that does not certify. The
//! interior point may miss a constraint by ~1e-9, so its hours are repaired to an exactly feasible
//! allocation (clamp, rescale, move the last excess), and the whole plan is certified: its
//! objective must be within [`CERTIFIED_REL_GAP`] of a Lagrangian lower bound (the dual's, or that
//! of the interior point's coupling-row duals). Until a plan is within [`TARGET_REL_GAP`], more
//! hours are freed while their LP stays small ([`JOINT_MAX_VARIABLES`]).
//!
//! A larger fleet (more multipliers than the bundle method pins down in [`dual::MAX_STEPS`] steps,
//! or too many tied hours) goes to column generation ([`super::columns`]), warm-started from the
//! dual's multipliers and the hourly allocations of its last evaluations
//! ([`DualOptimum::recent_columns`]): exact convex combinations of hourly allocations, certified
//! the same way.
//! If that fails too, every hour is solved jointly (the monolithic LP), then by an exact simplex,
//! as long as that LP has at most [`WHOLE_MAX_VARIABLES`] flow variables; beyond, the solve fails
//! with [`SolveError::Uncertified`], saying how close column generation came.
//! A small problem (a receding horizon's window) skips the dual: its whole LP by interior point,
//! repaired and certified against its own coupling-row duals, is faster
//! ([`DIRECT_MAX_VARIABLES`]). A larger window after the first ([`solve_from`]) starts with column
//! generation from the previous window's multipliers and the columns its plan weighs, for the
//! hours the two share with the same demand ([`columns::Pool`]): half the time of the
//! warm-started dual.

use super::certificate::within_budget;
pub use super::certificate::{CERTIFIED_REL_GAP, OfflineCertificate};
use super::columns::{self, Pool};
use super::dual::{self, DualOptimum, Multipliers};
use super::lp::OfflineLp;
use super::repair::repair;
use super::ties;
use crate::error::SolveError;
use crate::metrics;
use crate::model::Problem;
use crate::model::allocation::Allocation;

/// The dual is maximised until its cutting-plane model promises less than this relative rise.
const DUAL_TOL_REL: f64 = 1e-10;

/// The largest LP (flow variables) over the hours the dual leaves tied: beyond it, column
/// generation is faster. It was 20,000 with the box-step dual; the proximal dual stops with less
/// exact multipliers, and at 50 data centers x 457 hours its three LPs over 11 to 51 tied hours (up
/// to 12,546 variables) took 0.46 s of CPU without certifying before column generation did.
const JOINT_MAX_VARIABLES: usize = 5_000;

/// Column generation runs until its plan is this close to its bound, and the tied hours are freed
/// until then: half the certificate's [`CERTIFIED_REL_GAP`], room for the rounding of the plan's
/// flows. Each further tenfold costs column generation about a master solve (15 s at 100 data
/// centers x 8,760 hours).
const TARGET_REL_GAP: f64 = 5e-8;

/// Problems whose LP has at most this many flow variables ([`OfflineLp::variables_per_hour`] x
/// hours) are solved as one LP by interior point, then repaired and certified like the
/// decomposition's plans: below it that is faster than maximising the dual. Measured per window
/// of `rhc` (interior point against the dual): the paper's 24 hours (240 variables) 2.2 ms against
/// 5.5 ms, its 72 hours (720) 7.2 against 7.6; the 2022 year's 6 hours (latency routing, 240) 2.2
/// against 6.1, its 24 hours (960) 11.3 against 9.6.
const DIRECT_MAX_VARIABLES: usize = 720;

/// Tied hours' LPs with at most this many flow variables are solved by the simplex before the
/// interior point: an exact vertex, nothing to repair but rounding, certified by the dual's bound.
/// Measured: a 24-hour window of `rhc` on the 2022 year (about 190 variables) in 1.0 ms against
/// 1.45 ms; 16 hours of 30 data centers (2,400 variables) in the same time either way.
const SIMPLEX_MAX_VARIABLES: usize = 2_000;

/// Column generation from the previous window's columns gives up after this many master solves
/// (then the window is solved as a cold one would be): it takes 3-4 on the 2022 year's windows.
const WINDOW_MAX_ROUNDS: usize = 30;

/// The simplex on tied hours gives up after this long (it takes milliseconds; the limit only turns
/// a cycling simplex into a failure, recorded, after which the interior point solves those hours).
const SIMPLEX_TIME_LIMIT_S: f64 = 10.0;

/// The largest LP (flow variables) solved in one piece when the decomposition and column generation
/// leave the plan uncertified: beyond it the solve fails, saying how close it came.
pub const WHOLE_MAX_VARIABLES: usize = 1_000_000;

/// The offline optimum: every hour's allocation, and how close to optimal it is proven to be.
#[derive(Debug)]
pub struct OfflinePlan {
    /// The allocation of every hour.
    pub allocations: Vec<Allocation>,
    /// The optimality certificate.
    pub certificate: OfflineCertificate,
    /// Errors of the faster paths that were given up on.
    pub fallbacks: Vec<SolveError>,
    /// The dual's multipliers, when the decomposition made the plan (a warm start for a similar
    /// problem).
    pub multipliers: Option<Multipliers>,
    /// The columns the plan weighs, when a warm start's column generation made it.
    pub pool: Option<Pool>,
}

/// Where a similar problem's solve begins (a receding horizon's next window): its plan's multipliers
/// and, if column generation made the plan, the columns it weighs.
#[derive(Debug, Clone)]
pub struct WarmStart {
    /// The multipliers of the plan.
    pub multipliers: Multipliers,
    /// Its columns.
    pub pool: Option<Pool>,
}

/// Solves the coupled LP of `problem`: the dual over the coupling rows first, then the LP over
/// the hours the dual leaves tied (more hours, up to all, until certified); the exact simplex if
/// none is certified.
pub fn solve(problem: &Problem) -> Result<OfflinePlan, SolveError> {
    OfflinePlan::solve(problem, None, true)
}

/// [`solve`] from `start` (a similar problem's plan's [`OfflinePlan::warm_start`]): column
/// generation from its multipliers and columns first, then the dual warm-started from its
/// multipliers; the plan is certified all the same.
pub fn solve_from(problem: &Problem, start: Option<&WarmStart>) -> Result<OfflinePlan, SolveError> {
    OfflinePlan::solve(problem, start, true)
}

/// [`solve`] by the dual decomposition whatever the problem's size (a small problem is
/// otherwise solved whole): for tests of the decomposition on small instances.
pub fn solve_by_decomposition(problem: &Problem) -> Result<OfflinePlan, SolveError> {
    OfflinePlan::solve(problem, None, false)
}

/// Column generation alone from uniform multipliers, whatever the problem's size, its plan returned
/// certified or not (the certificate says): for tests of column generation on small instances.
pub fn solve_by_columns(problem: &Problem) -> Result<OfflinePlan, SolveError> {
    OfflinePlan::generate_columns(problem, None, 0, Vec::new(), columns::MAX_ROUNDS).map(|(plan, _)| plan)
}

/// Solves the coupled LP with the exact simplex only (slower; the reference).
pub fn solve_exact(problem: &Problem) -> Result<OfflinePlan, SolveError> {
    OfflinePlan::solve_exact(problem)
}

impl OfflinePlan {
    /// The warm start this plan gives a similar problem: its multipliers and columns.
    pub fn warm_start(self) -> Option<WarmStart> {
        let pool = self.pool;
        self.multipliers
            .map(|multipliers| WarmStart { multipliers, pool })
    }

    fn solve(problem: &Problem, start: Option<&WarmStart>, direct: bool) -> Result<OfflinePlan, SolveError> {
        let n_hours = problem.n_hours();
        let mut direct_failure = None;
        if direct && n_hours * OfflineLp::variables_per_hour(&problem.fleet) <= DIRECT_MAX_VARIABLES {
            let all: Vec<usize> = (0..n_hours).collect();
            match Self::solve_free_hours(problem, &dual::at_zero(problem)?, &all, false) {
                Ok(Some(plan)) => return Ok(plan),
                Ok(None) => {}
                Err(e) => direct_failure = Some(e),
            }
        }
        let mut failures: Vec<SolveError> = direct_failure.into_iter().collect();
        let n_dcs = problem.fleet.dcs.len();
        let start =
            start.filter(|s| s.multipliers.water.len() == n_dcs && s.multipliers.carbon.len() == n_dcs);
        if let Some(start) = start {
            match Self::solve_window(problem, start) {
                Ok(plan) => return Ok(plan.with_fallbacks(failures)),
                Err(e) => failures.push(e),
            }
        }
        let start = start.map(|s| &s.multipliers);
        let dual = match dual::maximise_from(problem, DUAL_TOL_REL, start) {
            Ok(dual) => Some(dual),
            Err(e) => {
                failures.push(e);
                None
            }
        };
        if let Some(dual) = dual.as_ref().filter(|d| d.evaluations < dual::MAX_STEPS) {
            match Self::solve_tied_hours(problem, dual) {
                Ok(Some(plan)) => return Ok(plan.with_fallbacks(failures)),
                Ok(None) => {}
                Err(e) => failures.push(e),
            }
        }
        let from = dual.as_ref().map(|d| d.multipliers.clone());
        let evaluations = dual.as_ref().map_or(0, |d| d.evaluations);
        let mut closest_gap = None;
        let initial = dual.map(|d| d.recent_columns).unwrap_or_default();
        match Self::generate_columns(
            problem,
            from.as_ref().or(start),
            evaluations,
            initial,
            columns::MAX_ROUNDS,
        ) {
            Ok((plan, _)) if plan.certificate.relative_gap() <= CERTIFIED_REL_GAP => {
                return Ok(plan.with_fallbacks(failures));
            }
            Ok((plan, _)) => closest_gap = Some(plan.certificate.relative_gap()),
            Err(e) => failures.push(e),
        }
        let variables = n_hours * OfflineLp::variables_per_hour(&problem.fleet);
        within_budget(variables, closest_gap, &failures, WHOLE_MAX_VARIABLES)?;
        // Every hour jointly (the monolithic LP), from the bound at zero.
        let all: Vec<usize> = (0..n_hours).collect();
        match Self::solve_free_hours(problem, &dual::at_zero(problem)?, &all, false) {
            Ok(Some(plan)) => return Ok(plan.with_fallbacks(failures)),
            Ok(None) => {}
            Err(e) => failures.push(e),
        }
        let mut exact = Self::solve_exact(problem)?;
        exact.fallbacks = failures;
        Ok(exact)
    }

    /// Solves jointly the hours the dual leaves tied at growing slacks (how far, as a fraction of
    /// each equity weight, the multipliers may still be off), while their LP stays under
    /// [`JOINT_MAX_VARIABLES`] flow variables, until a plan is within [`TARGET_REL_GAP`] of its
    /// bound; the closest certified plan if none is, `None` if none is certified.
    fn solve_tied_hours(problem: &Problem, dual: &DualOptimum) -> Result<Option<OfflinePlan>, SolveError> {
        let per_hour = OfflineLp::variables_per_hour(&problem.fleet);
        let mut tried = usize::MAX;
        let mut failures = Vec::new();
        let mut closest: Option<OfflinePlan> = None;
        for slack in [1e-7, 1e-6, 1e-5, 1e-4, 1e-3] {
            let free = ties::tied_hours(problem, &dual.multipliers, &dual.evaluation.vertices, slack);
            if free.len() * per_hour > JOINT_MAX_VARIABLES {
                break;
            }
            if free.len() == tried {
                continue; // the same hours as the last attempt
            }
            tried = free.len();
            // A small LP by the simplex first; if it fails (recorded) or its plan does not certify
            // against the dual's bound alone, the interior point solves the same hours.
            let mut plan = None;
            if free.len() * per_hour <= SIMPLEX_MAX_VARIABLES {
                match Self::solve_free_hours(problem, dual, &free, true) {
                    Ok(found) => plan = found,
                    Err(e) => failures.push(e),
                }
            }
            if plan.is_none() {
                match Self::solve_free_hours(problem, dual, &free, false) {
                    Ok(found) => plan = found,
                    // A certified plan in hand: the failure is recorded, the plan returned.
                    Err(e) if closest.is_some() => {
                        failures.push(e);
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
            let gap = |p: &OfflinePlan| p.certificate.relative_gap();
            if let Some(plan) = plan.filter(|p| closest.as_ref().is_none_or(|c| gap(p) < gap(c))) {
                closest = Some(plan);
            }
            if closest.as_ref().is_some_and(|c| gap(c) <= TARGET_REL_GAP) {
                break;
            }
        }
        Ok(closest.map(|plan| plan.with_fallbacks(failures)))
    }

    /// Column generation from `start`'s multipliers and columns, its plan certified, with the
    /// columns it weighs for the next window; an error if not certified.
    fn solve_window(problem: &Problem, start: &WarmStart) -> Result<OfflinePlan, SolveError> {
        let (mut plan, weighed) = Self::generate_columns(
            problem,
            Some(&start.multipliers),
            0,
            start
                .pool
                .as_ref()
                .map_or_else(Vec::new, |pool| pool.columns_for(problem)),
            WINDOW_MAX_ROUNDS,
        )?;
        let gap = plan.certificate.relative_gap();
        if gap > CERTIFIED_REL_GAP {
            return Err(SolveError::Unconverged {
                method: "column generation from the last window's columns",
                gap,
                target_gap: CERTIFIED_REL_GAP,
            });
        }
        plan.pool = Some(Pool::new(problem, weighed));
        Ok(plan)
    }

    /// The plan of column generation from `start` (made admissible; uniform multipliers if none)
    /// and the `initial` columns, in at most `max_rounds` master solves, certified or not, and the
    /// columns it weighs; `evaluations` of the dual came before.
    fn generate_columns(
        problem: &Problem,
        start: Option<&Multipliers>,
        evaluations: usize,
        initial: Vec<Vec<columns::Column>>,
        max_rounds: usize,
    ) -> Result<(OfflinePlan, Vec<Vec<columns::Column>>), SolveError> {
        let uniform = || {
            let n_dcs = problem.fleet.dcs.len() as f64;
            let equity = &problem.fleet.equity;
            Multipliers {
                water: vec![equity.water_usd_per_m3 / n_dcs; problem.fleet.dcs.len()],
                carbon: vec![equity.carbon_usd_per_t / n_dcs; problem.fleet.dcs.len()],
            }
        };
        let start = start
            .cloned()
            .unwrap_or_else(uniform)
            .admissible(&problem.fleet.equity);
        let generated = columns::solve(problem, &start, TARGET_REL_GAP, initial, max_rounds)?;
        let certificate = OfflineCertificate {
            objective_usd: generated.objective_usd,
            lower_bound_usd: generated.lower_bound_usd,
            method: "column generation",
            dual_evaluations: evaluations + generated.evaluations,
            free_hours: generated.mixed_hours,
        };
        let plan = OfflinePlan {
            allocations: generated.allocations,
            certificate,
            fallbacks: Vec::new(),
            multipliers: Some(generated.multipliers),
            pool: None,
        };
        Ok((plan, generated.weighed))
    }

    /// The plan with `fallbacks` (errors of paths given up on before it) ahead of its own.
    fn with_fallbacks(mut self, mut fallbacks: Vec<SolveError>) -> OfflinePlan {
        fallbacks.append(&mut self.fallbacks);
        self.fallbacks = fallbacks;
        self
    }

    /// Keeps the dual's allocation in every hour but `free`, solves the coupled LP over `free`
    /// by interior point (or by the simplex, `by_simplex`), repairs it, and returns it if certified
    /// against the better of the Lagrangian bounds: the dual's, and (interior point) that of the
    /// LP's coupling-row duals.
    fn solve_free_hours(
        problem: &Problem,
        dual: &DualOptimum,
        free: &[usize],
        by_simplex: bool,
    ) -> Result<Option<OfflinePlan>, SolveError> {
        let fleet = &problem.fleet;
        let mut allocations = dual.evaluation.allocations(fleet.gateways.len());
        let mut lower_bound_usd = dual.evaluation.value_usd;
        let mut lp_duals = None;
        if !free.is_empty() {
            let (water, carbon) = totals_without(problem, dual, free);
            let lp = OfflineLp::build_over(problem, free, &water, &carbon);
            let solution = match by_simplex {
                true => lp.solve_exact(Some(SIMPLEX_TIME_LIMIT_S))?,
                false => {
                    let (solution, duals) = lp.solve_interior()?;
                    let duals = duals.admissible(&fleet.equity);
                    lower_bound_usd = lower_bound_usd.max(dual::evaluate(problem, &duals)?.value_usd);
                    lp_duals = Some(duals);
                    solution
                }
            };
            for (allocation, &t) in repair(problem, free, &solution)?.into_iter().zip(free) {
                allocations[t] = allocation;
            }
        }
        let objective_usd = metrics::objective_usd(problem, &loads_of(&allocations));
        if objective_usd - lower_bound_usd > CERTIFIED_REL_GAP * objective_usd.abs().max(1.0) {
            return Ok(None);
        }
        // A problem solved whole (one dual evaluation, at zero) warm-starts from the LP's duals.
        let whole = dual.evaluations == 1 && free.len() == problem.n_hours();
        let certificate = OfflineCertificate {
            objective_usd,
            lower_bound_usd,
            method: if whole {
                "interior point"
            } else {
                "dual decomposition"
            },
            dual_evaluations: dual.evaluations,
            free_hours: free.len(),
        };
        let multipliers = match (whole, lp_duals) {
            (true, Some(duals)) => duals,
            _ => dual.multipliers.clone(),
        };
        Ok(Some(OfflinePlan {
            allocations,
            certificate,
            fallbacks: Vec::new(),
            multipliers: Some(multipliers),
            pool: None,
        }))
    }

    /// The simplex's vertex optimum, repaired. Its lower bound is the LP's own optimal value, so
    /// a repair that had to fall back to a worse allocation shows as a gap, not as zero.
    fn solve_exact(problem: &Problem) -> Result<OfflinePlan, SolveError> {
        let solution = OfflineLp::build(problem).solve_exact(None)?;
        let hours: Vec<usize> = (0..problem.n_hours()).collect();
        let allocations = repair(problem, &hours, &solution)?;
        let objective_usd = metrics::objective_usd(problem, &loads_of(&allocations));
        let certificate = OfflineCertificate {
            objective_usd,
            lower_bound_usd: solution.objective_usd.min(objective_usd),
            method: "simplex",
            dual_evaluations: 0,
            free_hours: problem.n_hours(),
        };
        Ok(OfflinePlan {
            allocations,
            certificate,
            fallbacks: Vec::new(),
            multipliers: None,
            pool: None,
        })
    }
}

/// Per data center, the dual's weighted water (m3) and carbon (t) totals without the hours `free`.
fn totals_without(problem: &Problem, dual: &DualOptimum, free: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let (mut water, mut carbon) = (dual.evaluation.water_m3.clone(), dual.evaluation.carbon_t.clone());
    for &t in free {
        let hour = problem.hour(t);
        for (d, load) in dual.evaluation.vertices[t].loads_mw.iter().enumerate() {
            let (water_m3_per_mwh, carbon_t_per_mwh) = problem.fleet.weighted_intensity(&hour, d);
            water[d] -= water_m3_per_mwh * load;
            carbon[d] -= carbon_t_per_mwh * load;
        }
    }
    (water, carbon)
}

/// Every hour's per-data-center loads, MW.
pub(super) fn loads_of(allocations: &[Allocation]) -> Vec<Vec<f64>> {
    allocations.iter().map(Allocation::dc_loads_mw).collect()
}
