//! `eglb-online` (the paper's eGLB): online, hour by hour, no future information, by dual mirror
//! descent with auxiliary variables (docs/model.md §5; Balseiro, Lu and Mirrokni's regularised
//! online allocation template).
//!
//! Each hour, with duals `mu` (one per data center for water, one for carbon):
//! 1. allocate at calibrated prices `price + mu_w x water weight x water + mu_c x carbon weight x carbon`;
//! 2. pick footprint targets `z` in `[0, z_cap]` minimising `max_i z_w,i + max_i z_c,i - mu . z`;
//! 3. step `mu += step_size x (weighted footprint cost of the allocation - z)`, projected onto
//!    `mu >= 0` unless `project_dual = false` (the authors' code does not project).
//!
//! The target cap of data center i is `z_cap x weight x capacity_i x the highest intensity of i
//! seen so far`: what a full data center would cost that hour at its worst intensity to date.
//! With vulnerability weights, each data center's weight is the equity weight times its own.
//!
//! The step is dimensionless by default: `step_size = step / (S x sqrt(T))` for a horizon of T
//! hours, S being the sum of those caps at `z_cap = 1` (the group's hourly footprint cost of the
//! whole fleet at full load and its worst intensities so far), so that scaling capacities,
//! demand, weights or the horizon leaves the dual path unchanged. `step_size` (1/USD) replaces it.
//!
//! Parameters: `[policy.eglb-online]` (or its old spelling `[online]`) with `step` or
//! `step_size`, `z_cap` and `project_dual`.

use serde::{Deserialize, Serialize};

use super::Policy;
use crate::error::PolicyError;
use crate::model::allocation::{self, Allocation};
use crate::model::{Fleet, HourInputs, Problem};

/// Parameters of `eglb-online` (dual mirror descent).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OnlineParams {
    /// Dimensionless dual step: the step in 1/USD is `step / (footprint scale x sqrt(hours))`,
    /// the scale being the group's hourly footprint cost of a full fleet at its worst intensities
    /// so far. Absent when `step_size` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// Absolute dual step size, in 1/USD (the dual update adds `step_size` x an hourly footprint
    /// cost in USD); replaces `step` when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_size: Option<f64>,
    /// Cap on the hourly footprint targets, as a multiple of `weight x capacity x the highest
    /// intensity seen so far` at each data center.
    #[serde(default = "default_z_cap")]
    pub z_cap: f64,
    /// Project the duals onto mu >= 0 after each step (the authors' code does not).
    #[serde(default = "default_true")]
    pub project_dual: bool,
}

/// The default dimensionless step (README "Choosing the online parameters").
pub const DEFAULT_STEP: f64 = 1.0;
fn default_z_cap() -> f64 {
    1.0
}
fn default_true() -> bool {
    true
}

impl Default for OnlineParams {
    fn default() -> Self {
        OnlineParams {
            step: Some(DEFAULT_STEP),
            step_size: None,
            z_cap: default_z_cap(),
            project_dual: true,
        }
    }
}

impl OnlineParams {
    /// Reads and checks a parameter table: unknown keys, and a step or cap that is not a finite
    /// number > 0, are errors.
    /// `step` and `step_size` together are an error; with neither, `step` takes its default.
    pub fn from_table(table: &toml::Table) -> Result<OnlineParams, String> {
        let mut params: OnlineParams = super::parse_params(table)?;
        match (params.step, params.step_size) {
            (Some(_), Some(_)) => {
                return Err("give `step` (dimensionless) or `step_size` (1/USD), not both".into());
            }
            (None, None) => params.step = Some(DEFAULT_STEP),
            _ => {}
        }
        let given = [
            ("step", params.step),
            ("step_size", params.step_size),
            ("z_cap", Some(params.z_cap)),
        ];
        for (key, value) in given {
            match value {
                Some(value) if !(value.is_finite() && value > 0.0) => {
                    return Err(format!("`{key}` must be a finite number > 0, got {value}"));
                }
                _ => {}
            }
        }
        Ok(params)
    }
}

/// The registry's parameter check: the parameters with their defaults.
pub fn resolve_params(table: &toml::Table) -> Result<toml::Table, String> {
    super::params_table(&OnlineParams::from_table(table)?)
}

/// The registry's build function: starts from the fleet alone (no future information).
pub fn build(problem: &Problem, params: &toml::Table) -> Result<Box<dyn Policy>, PolicyError> {
    let params = OnlineParams::from_table(params).map_err(PolicyError::Other)?;
    Ok(Box::new(EglbOnline::new(
        &problem.fleet,
        problem.hours.len(),
        params,
    )))
}

/// Dual mirror descent state.
pub struct EglbOnline {
    fleet: Fleet,
    params: OnlineParams,
    /// The horizon's length in hours (the dimensionless step is divided by its square root).
    hours: usize,
    water: Group,
    carbon: Group,
}

/// One footprint type's duals and running intensity maxima.
struct Group {
    /// Per data center: the equity weight x its vulnerability weight (USD per m3 or t).
    weight: Vec<f64>,
    mu: Vec<f64>,
    max_intensity: Vec<f64>,
}

impl EglbOnline {
    /// Starts with zero duals, for a horizon of `hours` hours.
    pub fn new(fleet: &Fleet, hours: usize, params: OnlineParams) -> EglbOnline {
        let n = fleet.dcs.len();
        let group = |weight: f64, vulnerability: &[f64]| Group {
            weight: vulnerability.iter().map(|v| weight * v).collect(),
            mu: vec![0.0; n],
            max_intensity: vec![0.0; n],
        };
        EglbOnline {
            fleet: fleet.clone(),
            params,
            hours,
            water: group(fleet.equity.water_usd_per_m3, &fleet.water_vulnerability),
            carbon: group(fleet.equity.carbon_usd_per_t, &fleet.carbon_vulnerability),
        }
    }
}

impl Policy for EglbOnline {
    fn name(&self) -> &str {
        "eglb-online"
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, PolicyError> {
        let unit_price = hour.unit_prices(1.0, &self.water.prices(), &self.carbon.prices());
        let allocation = allocation::cheapest(&unit_price, hour.demand_mw, &self.fleet)?;
        let loads = allocation.dc_loads_mw();
        let (capacity, params, hours) = (&self.fleet.capacity_mw, self.params, self.hours);
        self.water
            .step(hour.water_l_per_kwh, &loads, capacity, params, hours);
        self.carbon
            .step(hour.carbon_kg_per_kwh, &loads, capacity, params, hours);
        Ok(allocation)
    }
}

impl Group {
    /// Per data center, the dual times the weight: USD per m3 (or t) of this hour's footprint.
    fn prices(&self) -> Vec<f64> {
        self.mu.iter().zip(&self.weight).map(|(m, w)| m * w).collect()
    }

    /// One dual update from this hour's intensities and loads.
    fn step(
        &mut self,
        intensity: &[f64],
        loads_mw: &[f64],
        capacity_mw: &[f64],
        params: OnlineParams,
        hours: usize,
    ) {
        for (max, &i) in self.max_intensity.iter_mut().zip(intensity) {
            *max = max.max(i);
        }
        let full: Vec<f64> = (0..self.mu.len())
            .map(|d| self.weight[d] * capacity_mw[d] * self.max_intensity[d])
            .collect();
        let cap: Vec<f64> = full.iter().map(|f| params.z_cap * f).collect();
        let step_size = params.step_size.unwrap_or_else(|| {
            let step = params.step.unwrap_or(DEFAULT_STEP);
            dimensionless_step_size(step, full.iter().sum(), hours)
        });
        let z = targets(&self.mu, &cap);
        for d in 0..self.mu.len() {
            let footprint_cost = self.weight[d] * intensity[d] * loads_mw[d];
            self.mu[d] += step_size * (footprint_cost - z[d]);
            if params.project_dual {
                self.mu[d] = self.mu[d].max(0.0);
            }
        }
    }
}

/// The step in 1/USD of a dimensionless `step`: `step / (scale x sqrt(hours))`, the scale being
/// the group's hourly footprint cost (USD) of the whole fleet at full load and the worst
/// intensities seen so far. Zero while the scale is (nothing seen to scale by).
fn dimensionless_step_size(step: f64, scale_usd: f64, hours: usize) -> f64 {
    let scale = scale_usd * (hours.max(1) as f64).sqrt();
    if scale > 0.0 { step / scale } else { 0.0 }
}

/// `argmin over 0 <= z <= cap of max_i z_i - mu . z`, in closed form: all data centers with
/// positive dual share one level `s` (capped), raised while their dual mass above the level
/// exceeds 1; the rest get 0.
fn targets(mu: &[f64], cap: &[f64]) -> Vec<f64> {
    let mut positive: Vec<usize> = (0..mu.len()).filter(|&d| mu[d] > 0.0).collect();
    positive.sort_by(|&a, &b| cap[a].total_cmp(&cap[b]).then(a.cmp(&b)));
    let mut mass: f64 = positive.iter().map(|&d| mu[d]).sum();
    let mut level = 0.0;
    for &d in &positive {
        if mass <= 1.0 {
            break;
        }
        level = cap[d];
        mass -= mu[d];
    }
    (0..mu.len())
        .map(|d| if mu[d] > 0.0 { level.min(cap[d]) } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::targets;

    /// The closed form is feasible and never beaten by random points of the box, nor by the box's
    /// corners; the cases cover dual mass below and above 1, a negative dual and caps above 1.
    #[test]
    fn targets_minimise_max_minus_dual_product() {
        let objective = |z: &[f64], mu: &[f64]| {
            z.iter().cloned().fold(0.0, f64::max) - z.iter().zip(mu).map(|(a, b)| a * b).sum::<f64>()
        };
        let cases: [(&[f64], &[f64]); 5] = [
            (&[0.2, 0.3, 0.1], &[5.0, 3.0, 4.0]),
            (&[0.9, 0.6, -0.2], &[5.0, 3.0, 4.0]),
            (&[0.9, 0.6, 0.4], &[1.0, 3.0, 2.0]),
            (&[2.0, 0.0, 0.0], &[1.0, 1.0, 1.0]),
            (&[0.5, 0.4, 0.3, 0.6], &[7.0, 2.5, 12.0, 5.0]),
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut uniform = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for (mu, cap) in cases {
            let z = targets(mu, cap);
            assert!(
                z.iter().zip(cap).all(|(z, c)| (0.0..=*c).contains(z)),
                "{z:?} outside the box"
            );
            let best = objective(&z, mu);
            let corners = (0..1usize << mu.len()).map(|bits| {
                (0..mu.len())
                    .map(|d| if bits >> d & 1 == 1 { cap[d] } else { 0.0 })
                    .collect::<Vec<f64>>()
            });
            let random: Vec<Vec<f64>> = (0..20_000)
                .map(|_| cap.iter().map(|c| c * uniform()).collect())
                .collect();
            for candidate in corners.chain(random) {
                assert!(
                    best <= objective(&candidate, mu) + 1e-12,
                    "mu {mu:?}: {z:?} beaten by {candidate:?}"
                );
            }
        }
    }
}
