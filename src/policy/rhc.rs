//! `rhc` (receding-horizon control; Lin, Liu, Wierman and Andrew, "Online algorithms for
//! geographical load balancing", IGCC 2012): each hour, solve the min-max LP over the window
//! `[t, t + window)` on forecasts ([`crate::model::forecast`]), apply its first hour, repeat.
//!
//! The equity terms span the whole horizon, so a window's LP needs the past and the future: each
//! region's (vulnerability-weighted) water and carbon so far, `S_i`, and the hours after the window,
//! extrapolated from it. A window minimises
//! `window cost + weight x max_i (S_i x window / remaining + window footprint_i)` for water and
//! carbon alike, `remaining` being the hours from `t` to the end of the horizon: the whole
//! objective with the hours after the window repeating the window's footprints, divided by
//! `remaining / window`. With the window reaching the end of the horizon it is the offline LP
//! over the hours left, given the past, so with perfect forecasts `rhc` then replays the offline
//! optimum. Forecast demand beyond what the fleet can serve is scaled down to what it can (only
//! the present hour, known exactly, must be served). Each window is solved by the certified
//! offline solver ([`crate::solver::offline`]), warm-started from the previous window's plan: its
//! multipliers, and the columns it weighs for the hours the two windows share.
//!
//! Parameters: `[policy.rhc] window` (hours, default 24).

use serde::{Deserialize, Serialize};

use super::Policy;
use crate::error::PolicyError;
use crate::model::allocation::Allocation;
use crate::model::forecast::{Forecaster, HourForecast};
use crate::model::{Carried, FEASIBILITY_TOL_MW, Fleet, HourInputs, Problem};
use crate::solver::offline::{self, WarmStart};

/// Parameters of `rhc` (and `afhc`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Hours planned, the present included: `rhc` looks `window - 1` hours ahead (`afhc` looks
    /// `window` hours ahead; see [`super::afhc`]).
    #[serde(default = "default_window")]
    pub window: usize,
}

fn default_window() -> usize {
    24
}

impl Params {
    /// Reads and checks a parameter table: a window of at least one hour.
    pub fn from_table(table: &toml::Table) -> Result<Params, String> {
        let params: Params = super::parse_params(table)?;
        if params.window == 0 {
            return Err("`window` must be at least 1 hour".into());
        }
        Ok(params)
    }
}

/// The registry's parameter check: the parameters with their defaults.
pub fn resolve_params(table: &toml::Table) -> Result<toml::Table, String> {
    super::params_table(&Params::from_table(table)?)
}

/// The registry's build function: the fleet, and forecasts `window` hours ahead.
pub fn build(problem: &Problem, params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    let params = Params::from_table(params).map_err(PolicyError::Other)?;
    Ok(Box::new(Rhc::new(problem, params.window)))
}

/// Receding-horizon control.
pub struct Rhc {
    planner: WindowPlanner,
}

impl Rhc {
    /// Plans over `window` hours of `problem`'s forecasts.
    pub fn new(problem: &Problem, window: usize) -> Rhc {
        Rhc {
            planner: WindowPlanner::new(problem, window),
        }
    }
}

impl Policy for Rhc {
    fn name(&self) -> &str {
        "rhc"
    }

    fn notes(&self) -> Vec<String> {
        vec![self.planner.note("rhc")]
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, PolicyError> {
        let plan = self.planner.plan(hour.hour)?;
        let allocation = plan
            .into_iter()
            .next()
            .ok_or_else(|| PolicyError::Other("an empty window".into()))?;
        self.planner.record(hour, &allocation);
        Ok(allocation)
    }
}

/// What a window plan needs: the fleet, the forecasts, and each region's totals so far.
#[derive(Debug, Clone)]
pub struct WindowPlanner {
    fleet: Fleet,
    forecaster: Forecaster,
    hours: usize,
    /// Vulnerability-weighted water (m³) and carbon (t) per data center over the hours decided.
    so_far: Carried,
    /// The last window's multipliers and columns: the next window's warm start.
    last: Option<WarmStart>,
    /// Windows solved, and how many of them gave up a faster path (the plan is certified anyway).
    windows: usize,
    fallbacks: usize,
}

impl WindowPlanner {
    /// Plans over `window` hours of `problem`'s forecasts, nothing carried yet.
    pub fn new(problem: &Problem, window: usize) -> WindowPlanner {
        let window = window.min(problem.n_hours().max(1));
        let n = problem.fleet.dcs.len();
        WindowPlanner {
            fleet: problem.fleet.clone(),
            forecaster: Forecaster::new(problem, window),
            hours: problem.n_hours(),
            so_far: Carried {
                water_m3: vec![0.0; n],
                carbon_t: vec![0.0; n],
            },
            last: None,
            windows: 0,
            fallbacks: 0,
        }
    }

    /// The optimal allocations of the window from hour `now`, as forecast at `now`.
    pub fn plan(&mut self, now: usize) -> Result<Vec<Allocation>, PolicyError> {
        self.plan_for(now, self.forecaster.window())
    }

    /// [`Self::plan`] over at most `hours` hours of the window.
    pub fn plan_for(&mut self, now: usize, hours: usize) -> Result<Vec<Allocation>, PolicyError> {
        let mut ahead = self.forecaster.ahead(now);
        ahead.truncate(hours.max(1));
        let window = servable(&self.fleet, ahead);
        let share = window.len() as f64 / self.hours.saturating_sub(now).max(1) as f64;
        let scaled = |v: &[f64]| v.iter().map(|s| s * share).collect();
        let carried = Carried {
            water_m3: scaled(&self.so_far.water_m3),
            carbon_t: scaled(&self.so_far.carbon_t),
        };
        let problem = window_problem(&self.fleet, window, carried);
        let mut plan = offline::solve_from(&problem, self.last.as_ref())?;
        self.windows += 1;
        self.fallbacks += usize::from(!plan.fallbacks.is_empty());
        let allocations = std::mem::take(&mut plan.allocations);
        self.last = plan.warm_start();
        Ok(allocations)
    }

    /// A line for the manifest: the windows solved, and any that gave up a faster path.
    pub fn note(&self, policy: &str) -> String {
        format!(
            "{policy}: {} window LPs solved (certified), {} of them after a faster path failed",
            self.windows, self.fallbacks
        )
    }

    /// Adds the footprints of `allocation`, decided for `hour`, to the totals so far.
    pub fn record(&mut self, hour: &HourInputs, allocation: &Allocation) {
        for (d, load) in allocation.dc_loads_mw().into_iter().enumerate() {
            let (water_m3_per_mwh, carbon_t_per_mwh) = self.fleet.weighted_intensity(hour, d);
            self.so_far.water_m3[d] += water_m3_per_mwh * load;
            self.so_far.carbon_t[d] += carbon_t_per_mwh * load;
        }
    }
}

/// The forecast hours with any demand beyond what the fleet can serve scaled down until it can
/// (uniformly; under a routing mask a few times over, each time by what the max flow serves), up
/// to the first hour that still cannot be served or holds a value that is not finite (a noisy
/// forecast can overflow). The present is always kept: it is known exactly, and servable.
fn servable(fleet: &Fleet, hours: Vec<HourForecast>) -> Vec<HourForecast> {
    let short = |hour: &HourForecast| {
        let total: f64 = hour.demand_mw.iter().sum();
        let can = fleet.routing.max_servable_mw(&hour.demand_mw, &fleet.capacity_mw);
        (total - can > FEASIBILITY_TOL_MW).then_some(can / total)
    };
    let finite = |hour: &HourForecast| {
        let series = [
            &hour.demand_mw,
            &hour.price_usd_per_mwh,
            &hour.carbon_kg_per_kwh,
            &hour.water_l_per_kwh,
        ];
        series.iter().all(|s| s.iter().all(|v| v.is_finite()))
    };
    let mut kept = Vec::with_capacity(hours.len());
    for (lead, mut hour) in hours.into_iter().enumerate() {
        if lead > 0 {
            for _ in 0..30 {
                let Some(share) = short(&hour).filter(|_| finite(&hour)) else {
                    break;
                };
                hour.demand_mw.iter_mut().for_each(|d| *d *= share * (1.0 - 1e-9));
            }
            if !finite(&hour) || short(&hour).is_some() {
                break;
            }
        }
        kept.push(hour);
    }
    kept
}

/// The problem of one window: its forecast hours, and what the regions carry into it.
fn window_problem(fleet: &Fleet, window: Vec<HourForecast>, carried: Carried) -> Problem {
    let hours = window.iter().map(|h| format!("hour {}", h.hour)).collect();
    let mut problem = Problem {
        fleet: fleet.clone(),
        hours,
        price_usd_per_mwh: Vec::with_capacity(window.len()),
        carbon_kg_per_kwh: Vec::with_capacity(window.len()),
        water_l_per_kwh: Vec::with_capacity(window.len()),
        water_onsite_l_per_kwh: None,
        carbon_embodied_kg_per_kwh: 0.0,
        demand_mw: Vec::with_capacity(window.len()),
        unused_trace_dcs: Vec::new(),
        trace_anomalies: Vec::new(),
        forecast: Default::default(),
        carried,
    };
    for hour in window {
        problem.price_usd_per_mwh.push(hour.price_usd_per_mwh);
        problem.carbon_kg_per_kwh.push(hour.carbon_kg_per_kwh);
        problem.water_l_per_kwh.push(hour.water_l_per_kwh);
        problem.demand_mw.push(hour.demand_mw);
    }
    problem
}
