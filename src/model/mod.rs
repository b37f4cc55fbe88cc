//! The problem a policy solves: a fleet of data centers and gateways, and hour-by-hour demand
//! and intensities. The leaf of the crate: it imports nothing but [`crate::error`] and
//! [`crate::footprint`].
//!
//! [`Fleet`] is what is known in advance (capacities, routing, equity weights). [`Problem`] adds
//! the hourly series; an online policy sees them one [`HourInputs`] at a time, an offline one all
//! at once. [`routing`] says which pairs may carry load, [`allocation`] what one hour's decision
//! is, [`geo`] how far apart two sites are, [`forecast`] what a policy may know of the hours ahead.

pub mod allocation;
pub mod forecast;
pub mod geo;
pub mod routing;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::footprint::{Footprint, Intensity};
use routing::Routing;

/// Prices put on the highest regional footprint (the equity terms of the objective).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct EquityWeights {
    /// USD per m3 of the highest data center's water consumption.
    pub water_usd_per_m3: f64,
    /// USD per tonne of the highest data center's carbon emissions.
    pub carbon_usd_per_t: f64,
}

/// Demand above what the routing can serve by more than this (MW) makes an hour infeasible.
pub const FEASIBILITY_TOL_MW: f64 = 1e-9;

/// The static part: who serves whom, and how much.
#[derive(Debug, Clone, PartialEq)]
pub struct Fleet {
    /// Data-center names.
    pub dcs: Vec<String>,
    /// Gateway names.
    pub gateways: Vec<String>,
    /// Server (IT) capacity of each data center, MW.
    pub capacity_mw: Vec<f64>,
    /// Allowed (data center, gateway) pairs.
    pub routing: Routing,
    /// For each gateway, the index of its nearest data center.
    pub nearest_dc: Vec<usize>,
    /// Weights of the worst-region footprint terms.
    pub equity: EquityWeights,
    /// Per data center, the multiplier of its water in the equity term (1 = unweighted).
    pub water_vulnerability: Vec<f64>,
    /// Per data center, the multiplier of its carbon in the equity term (1 = unweighted).
    pub carbon_vulnerability: Vec<f64>,
}

/// One hour's inputs, per data center (`price`, `carbon`, `water`) and per gateway (`demand_mw`).
#[derive(Debug, Clone, Copy)]
pub struct HourInputs<'a> {
    /// Index of the hour in the horizon.
    pub hour: usize,
    /// USD per MWh of server energy.
    pub price_usd_per_mwh: &'a [f64],
    /// kg CO2 per kWh of server energy (= t per MWh).
    pub carbon_kg_per_kwh: &'a [f64],
    /// L of water per kWh of server energy (= m3 per MWh).
    pub water_l_per_kwh: &'a [f64],
    /// Demand at each gateway, MW.
    pub demand_mw: &'a [f64],
}

impl HourInputs<'_> {
    /// Per data center, the price of one MWh of load, USD: `cost x energy price + water_usd_per_m3[dc]
    /// x water intensity + carbon_usd_per_t[dc] x carbon intensity` (L/kWh = m3/MWh, kg/kWh = t/MWh).
    /// Every price-driven policy allocates at such prices.
    pub fn unit_prices(&self, cost: f64, water_usd_per_m3: &[f64], carbon_usd_per_t: &[f64]) -> Vec<f64> {
        (0..self.price_usd_per_mwh.len())
            .map(|d| {
                cost * self.price_usd_per_mwh[d]
                    + water_usd_per_m3[d] * self.water_l_per_kwh[d]
                    + carbon_usd_per_t[d] * self.carbon_kg_per_kwh[d]
            })
            .collect()
    }
}

impl Fleet {
    /// Data center `d`'s water and carbon intensity in `hour` as the equity terms count them:
    /// times its vulnerability weights, m3 and t per MWh of load.
    pub fn weighted_intensity(&self, hour: &HourInputs, d: usize) -> (f64, f64) {
        (
            self.water_vulnerability[d] * hour.water_l_per_kwh[d],
            self.carbon_vulnerability[d] * hour.carbon_kg_per_kwh[d],
        )
    }

    /// Each group's multipliers (`mu_water[dc]`, `mu_carbon[dc]`) times the data centers'
    /// vulnerability weights: the per-intensity prices [`HourInputs::unit_prices`] takes.
    pub fn weighted_prices(&self, mu_water: &[f64], mu_carbon: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let times = |m: &[f64], v: &[f64]| m.iter().zip(v).map(|(m, v)| m * v).collect();
        (
            times(mu_water, &self.water_vulnerability),
            times(mu_carbon, &self.carbon_vulnerability),
        )
    }
}

/// A fleet plus its hourly series, hour-major: `price[t][dc]`, `demand_mw[t][gateway]`.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The static part.
    pub fleet: Fleet,
    /// Hour labels, `2022-09-22T00:00:00Z`.
    pub hours: Vec<String>,
    /// USD per MWh.
    pub price_usd_per_mwh: Vec<Vec<f64>>,
    /// kg per kWh.
    pub carbon_kg_per_kwh: Vec<Vec<f64>>,
    /// L per kWh (on-site + off-site).
    pub water_l_per_kwh: Vec<Vec<f64>>,
    /// The on-site part of `water_l_per_kwh`, L per kWh, where the traces split it.
    pub water_onsite_l_per_kwh: Option<Vec<Vec<f64>>>,
    /// The embodied part of `carbon_kg_per_kwh` (the same at every data center and hour), kg per kWh.
    pub carbon_embodied_kg_per_kwh: f64,
    /// MW per gateway.
    pub demand_mw: Vec<Vec<f64>>,
    /// Data centers of the trace file that the scenario does not use (ignored), as the manifest
    /// lists them.
    pub unused_trace_dcs: Vec<String>,
    /// Runs of anomalous trace hours within the horizon, as the manifest lists them.
    pub trace_anomalies: Vec<TraceAnomaly>,
    /// What online policies may know of the hours ahead ([`forecast::Forecaster`]).
    pub forecast: forecast::ForecastSpec,
    /// Footprints the regions already carry when the horizon starts, counted in the equity terms
    /// (none for a whole horizon; a receding-horizon window carries the hours before it).
    pub carried: Carried,
}

/// Per data center, vulnerability-weighted water (m³) and carbon (t) carried into a problem's
/// horizon and added to its regional totals in the equity terms. Empty: nothing carried.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Carried {
    /// Water per data center, m³ (times its vulnerability weight).
    pub water_m3: Vec<f64>,
    /// Carbon per data center, t (times its vulnerability weight).
    pub carbon_t: Vec<f64>,
}

impl Carried {
    /// Water and carbon carried by `n_dcs` data centers (zeros when nothing is carried).
    pub fn totals(&self, n_dcs: usize) -> (Vec<f64>, Vec<f64>) {
        let or_zero = |v: &[f64]| (0..n_dcs).map(|d| v.get(d).copied().unwrap_or(0.0)).collect();
        (or_zero(&self.water_m3), or_zero(&self.carbon_t))
    }
}

/// A run of consecutive hours of an input series that looks like a reporting fault (found by
/// `fairglb::traces::anomalies`), and whether the scenario repaired it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TraceAnomaly {
    /// The trace file.
    pub file: String,
    /// The series in it (a balancing authority).
    pub series: String,
    /// `low-total` or `fuel-swap`.
    pub kind: String,
    /// The run's first hour.
    pub first_hour_utc: String,
    /// The run's last hour.
    pub last_hour_utc: String,
    /// Its length.
    pub hours: usize,
    /// What was seen, in words.
    pub detail: String,
    /// Whether the scenario interpolated it (`physics.anomalies = "interpolate"`).
    pub repaired: bool,
}

impl Problem {
    /// Number of hours.
    pub fn n_hours(&self) -> usize {
        self.hours.len()
    }

    /// The inputs of hour `t`.
    pub fn hour(&self, t: usize) -> HourInputs<'_> {
        HourInputs {
            hour: t,
            price_usd_per_mwh: &self.price_usd_per_mwh[t],
            carbon_kg_per_kwh: &self.carbon_kg_per_kwh[t],
            water_l_per_kwh: &self.water_l_per_kwh[t],
            demand_mw: &self.demand_mw[t],
        }
    }

    /// Fails with every hour whose demand exceeds what the routing can serve, and by how much.
    pub fn check_feasible(&self) -> Result<()> {
        let fleet = &self.fleet;
        let short: Vec<(usize, f64)> = (0..self.n_hours())
            .filter_map(|t| {
                let demand: f64 = self.demand_mw[t].iter().sum();
                let served = fleet
                    .routing
                    .max_servable_mw(&self.demand_mw[t], &fleet.capacity_mw);
                (demand - served > FEASIBILITY_TOL_MW).then_some((t, demand - served))
            })
            .collect();
        if short.is_empty() {
            return Ok(());
        }
        let listed: Vec<String> = short
            .iter()
            .map(|(t, s)| format!("{} short by {s:.6} MW", self.hours[*t]))
            .collect();
        Err(Error::Infeasible(format!(
            "in {} hour(s) demand exceeds the capacity reachable under routing `{}`: {}",
            short.len(),
            fleet.routing.kind.name(),
            crate::error::listed(&listed, "; ")
        )))
    }
}

impl Problem {
    /// The footprint of `load_mw` at data center `d` in hour `t`.
    pub fn footprint(&self, t: usize, d: usize, load_mw: f64) -> Footprint {
        Footprint::of_hour(
            load_mw,
            &Intensity {
                price_usd_per_mwh: self.price_usd_per_mwh[t][d],
                carbon_kg_per_kwh: self.carbon_kg_per_kwh[t][d],
                carbon_embodied_kg_per_kwh: self.carbon_embodied_kg_per_kwh,
                water_l_per_kwh: self.water_l_per_kwh[t][d],
                water_onsite_l_per_kwh: self.water_onsite_l_per_kwh.as_ref().map_or(0.0, |w| w[t][d]),
            },
        )
    }
}
