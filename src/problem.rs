//! The problem a policy solves: a fleet of data centers and gateways, and hour-by-hour demand
//! and intensities.
//!
//! [`Fleet`] is what is known in advance (capacities, routing). [`Problem`] adds the hourly
//! series; an online policy sees them one [`HourInputs`] at a time, an offline one all at once.
//! Building a problem checks that every hour's demand can be served under the routing.

use crate::error::{Error, Result};
use crate::routing::{Routing, RoutingKind};
use crate::scenario::{EquityWeights, Scenario};
use crate::traces::{self, DcTraces, WorkloadTrace};

/// Demand above what the routing can serve by more than this (MW) makes an hour infeasible.
pub const FEASIBILITY_TOL_MW: f64 = 1e-9;

/// The static part: who serves whom, and how much.
#[derive(Debug, Clone)]
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

    /// Builds the problem of a scenario from its traces, checking names, coverage and feasibility.
    pub fn from_scenario(scenario: &Scenario, dc: &DcTraces, workload: &WorkloadTrace) -> Result<Problem> {
        let raw = &scenario.raw;
        let dcs: Vec<String> = raw.dcs.iter().map(|d| d.name.clone()).collect();
        let columns = match_dc_names(&dcs, dc, &scenario.path)?;
        let n_hours = match raw.horizon.hours {
            Some(h) if h > dc.hours.len() => {
                return Err(Error::file(
                    &scenario.path,
                    format!(
                        "horizon.hours = {h}, but the traces hold only {} hours",
                        dc.hours.len()
                    ),
                ));
            }
            Some(h) => h,
            None => dc.hours.len(),
        };
        let per_hour = |pick: fn(&traces::DcSeries) -> &Vec<f64>| -> Vec<Vec<f64>> {
            (0..n_hours)
                .map(|t| columns.iter().map(|&c| pick(&dc.series[c])[t]).collect())
                .collect()
        };
        let embodied = raw.physics.embodied.map_or(0.0, |e| e.kg_per_kwh());
        let mut carbon_kg_per_kwh = per_hour(|s| &s.carbon_kg_per_kwh);
        carbon_kg_per_kwh
            .iter_mut()
            .flatten()
            .for_each(|c| *c += embodied);
        let split_known = columns
            .iter()
            .all(|&c| dc.series[c].water_onsite_l_per_kwh.is_some());
        let problem = Problem {
            fleet: fleet_of(scenario, dcs),
            hours: dc.hours[..n_hours].iter().map(traces::format_hour).collect(),
            price_usd_per_mwh: per_hour(|s| &s.price_usd_per_mwh),
            carbon_kg_per_kwh,
            water_l_per_kwh: per_hour(|s| &s.water_l_per_kwh),
            water_onsite_l_per_kwh: split_known
                .then(|| per_hour(|s| s.water_onsite_l_per_kwh.as_ref().expect("checked just above"))),
            carbon_embodied_kg_per_kwh: embodied,
            demand_mw: crate::workload::gateway_demand_mw(scenario, workload, &dc.hours, n_hours)?,
        };
        problem.check_feasible()?;
        Ok(problem)
    }

    /// Fails with the hours in which some data center cannot carry the demand of the gateways
    /// whose nearest it is (the `nearest` policy's own feasibility), and by how much.
    pub fn check_nearest_feasible(&self) -> Result<()> {
        let fleet = &self.fleet;
        let mut short = Vec::new();
        for t in 0..self.n_hours() {
            let mut load = vec![0.0; fleet.dcs.len()];
            for (g, &d) in fleet.nearest_dc.iter().enumerate() {
                load[d] += self.demand_mw[t][g];
            }
            if let Some((d, over)) = load
                .iter()
                .zip(&fleet.capacity_mw)
                .map(|(l, c)| l - c)
                .enumerate()
                .find(|(_, over)| *over > FEASIBILITY_TOL_MW)
            {
                short.push(format!(
                    "{} dc `{}` over capacity by {over:.6} MW",
                    self.hours[t], fleet.dcs[d]
                ));
            }
        }
        if short.is_empty() {
            return Ok(());
        }
        Err(Error::Infeasible(format!(
            "policy `nearest`: in {} hour(s) a data center cannot carry its nearest gateways' demand: {}",
            short.len(),
            first_five(&short)
        )))
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
            first_five(&listed)
        )))
    }
}

/// Up to five items joined by "; ", then ", and N more" if there are more.
fn first_five(items: &[String]) -> String {
    let shown = items[..items.len().min(5)].join("; ");
    match items.len() {
        n if n > 5 => format!("{shown}, and {} more", n - 5),
        _ => shown,
    }
}

/// Mean, minimum and maximum of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// Mean.
    pub mean: f64,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
}

impl Stats {
    /// The statistics of `values` (not empty).
    pub fn of(values: impl Iterator<Item = f64>) -> Stats {
        let (mut sum, mut n, mut min, mut max) = (0.0, 0usize, f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            sum += v;
            n += 1;
            min = min.min(v);
            max = max.max(v);
        }
        Stats {
            mean: sum / n.max(1) as f64,
            min,
            max,
        }
    }
}

impl Problem {
    /// The footprint of `load_mw` at data center `d` in hour `t`.
    pub fn footprint(&self, t: usize, d: usize, load_mw: f64) -> crate::footprint::Footprint {
        crate::footprint::Footprint::of_hour(
            load_mw,
            &crate::footprint::Intensity {
                price_usd_per_mwh: self.price_usd_per_mwh[t][d],
                carbon_kg_per_kwh: self.carbon_kg_per_kwh[t][d],
                carbon_embodied_kg_per_kwh: self.carbon_embodied_kg_per_kwh,
                water_l_per_kwh: self.water_l_per_kwh[t][d],
                water_onsite_l_per_kwh: self.water_onsite_l_per_kwh.as_ref().map_or(0.0, |w| w[t][d]),
            },
        )
    }

    /// Per data center: statistics of its hourly price (USD/MWh), carbon (kg/kWh) and water
    /// (L/kWh) intensity over the horizon.
    pub fn intensity_stats(&self) -> Vec<[Stats; 3]> {
        (0..self.fleet.dcs.len())
            .map(|d| {
                [
                    &self.price_usd_per_mwh,
                    &self.carbon_kg_per_kwh,
                    &self.water_l_per_kwh,
                ]
                .map(|series| Stats::of(series.iter().map(|hour| hour[d])))
            })
            .collect()
    }
}

/// For each scenario data center, its index in the trace file; the two name sets must be equal.
fn match_dc_names(dcs: &[String], traces: &DcTraces, scenario: &std::path::Path) -> Result<Vec<usize>> {
    let missing: Vec<&str> = dcs
        .iter()
        .filter(|d| !traces.dcs.contains(d))
        .map(String::as_str)
        .collect();
    let extra: Vec<&str> = traces
        .dcs
        .iter()
        .filter(|d| !dcs.contains(d))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(Error::file(
            &traces.path,
            format!(
                "dc names do not match {}: scenario dcs missing from the file: [{}]; file dcs not in the scenario: [{}]",
                scenario.display(),
                missing.join(", "),
                extra.join(", ")
            ),
        ));
    }
    Ok(dcs
        .iter()
        .map(|d| traces.dcs.iter().position(|t| t == d).expect("checked above"))
        .collect())
}

/// Great-circle distance between a data center and a gateway (coordinates validated), km.
pub fn site_distance_km(dc: &crate::scenario::DcSpec, gateway: &crate::scenario::GatewaySpec) -> f64 {
    let coordinates = |lat: Option<f64>, lon: Option<f64>| (lat.unwrap_or(f64::NAN), lon.unwrap_or(f64::NAN));
    let ((a, b), (c, d)) = (coordinates(dc.lat, dc.lon), coordinates(gateway.lat, gateway.lon));
    crate::routing::great_circle_km(a, b, c, d)
}

fn fleet_of(scenario: &Scenario, dcs: Vec<String>) -> Fleet {
    let raw = &scenario.raw;
    let gateways: Vec<String> = raw.gateways.iter().map(|g| g.name.clone()).collect();
    let dc_index = |name: &str| {
        dcs.iter()
            .position(|d| d == name)
            .expect("validated by Scenario::load")
    };
    let nearest_dc: Vec<usize> = raw.gateways.iter().map(|g| dc_index(&g.nearest_dc)).collect();
    let (n_dcs, n_gateways) = (dcs.len(), gateways.len());
    let routing = match raw.routing {
        RoutingKind::Full => Routing::full(n_dcs, n_gateways),
        RoutingKind::Nearest => {
            Routing::from_fn(RoutingKind::Nearest, n_dcs, n_gateways, |d, g| nearest_dc[g] == d)
        }
        RoutingKind::Partial => Routing::from_fn(RoutingKind::Partial, n_dcs, n_gateways, |d, g| {
            raw.partial_routing
                .get(&dcs[d])
                .is_some_and(|served| served.contains(&gateways[g]))
        }),
        RoutingKind::Latency => {
            let limit_km = raw.latency.expect("validated by Scenario::load").limit_km();
            Routing::from_fn(RoutingKind::Latency, n_dcs, n_gateways, |d, g| {
                site_distance_km(&raw.dcs[d], &raw.gateways[g]) <= limit_km
            })
        }
    };
    Fleet {
        capacity_mw: raw.dcs.iter().map(|d| d.capacity_mw).collect(),
        dcs,
        gateways,
        routing,
        nearest_dc,
        equity: raw.equity,
        water_vulnerability: raw.dcs.iter().map(|d| d.water_vulnerability).collect(),
        carbon_vulnerability: raw.dcs.iter().map(|d| d.carbon_vulnerability).collect(),
    }
}
