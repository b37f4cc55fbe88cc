//! The tables of a results folder, one function each: per data center (`regions.csv`), per hour
//! and data center (`hourly.csv`, `intensity.csv`), per hour and gateway (`demand.csv`), per hour
//! and pair (`flows.csv`), per allowed pair (`routes.csv`), and the timings.

use serde::Serialize;

use super::{RunResults, SUMMARY_COLUMNS, records_csv, summary_values};
use crate::error::{Error, Result};
use crate::footprint::Footprint;

#[derive(Serialize)]
struct RegionRow<'a> {
    policy: &'a str,
    dc: &'a str,
    energy_mwh: f64,
    cost_usd: f64,
}

/// Carbon and water with their parts, the columns after a [`RegionRow`] or [`HourRow`] (csv
/// writes a tuple of structs as one row); the water parts are unknown (`NaN`) where the traces do not
/// split water (precomputed intensities such as the paper's).
#[derive(Serialize)]
struct Split {
    carbon_kg: f64,
    carbon_operational_kg: f64,
    carbon_embodied_kg: f64,
    water_l: f64,
    #[serde(serialize_with = "unknown_as_nan")]
    water_onsite_l: Option<f64>,
    #[serde(serialize_with = "unknown_as_nan")]
    water_offsite_l: Option<f64>,
}

impl Split {
    fn of(f: &Footprint, water_split: bool) -> Split {
        Split {
            carbon_kg: f.carbon_kg,
            carbon_operational_kg: f.carbon_operational_kg(),
            carbon_embodied_kg: f.carbon_embodied_kg,
            water_l: f.water_l,
            water_onsite_l: water_split.then_some(f.water_onsite_l),
            water_offsite_l: water_split.then(|| f.water_offsite_l()),
        }
    }
}

#[derive(Serialize)]
struct HourRow<'a> {
    policy: &'a str,
    hour_utc: &'a str,
    dc: &'a str,
    load_mw: f64,
    cost_usd: f64,
}

#[derive(Serialize)]
struct IntensityRow<'a> {
    hour_utc: &'a str,
    dc: &'a str,
    price_usd_per_mwh: f64,
    carbon_kg_per_kwh: f64,
    water_l_per_kwh: f64,
    #[serde(serialize_with = "unknown_as_nan")]
    water_onsite_l_per_kwh: Option<f64>,
}

#[derive(Serialize)]
struct TimingRow<'a> {
    policy: &'a str,
    seconds: f64,
}

#[derive(Serialize)]
struct DemandRow<'a> {
    hour_utc: &'a str,
    gateway: &'a str,
    demand_mw: f64,
}

#[derive(Serialize)]
struct RouteRow<'a> {
    gateway: &'a str,
    dc: &'a str,
    nearest: bool,
    #[serde(serialize_with = "unknown_as_nan")]
    distance_km: Option<f64>,
    #[serde(serialize_with = "unknown_as_nan")]
    rtt_ms: Option<f64>,
}

#[derive(Serialize)]
struct FlowRow<'a> {
    policy: &'a str,
    hour_utc: &'a str,
    gateway: &'a str,
    dc: &'a str,
    load_mw: f64,
    #[serde(serialize_with = "unknown_as_nan")]
    distance_km: Option<f64>,
    #[serde(serialize_with = "unknown_as_nan")]
    rtt_ms: Option<f64>,
}

/// The policy's name in the eGLB paper, from the registry (empty for a policy not registered).
pub fn paper_name(policy: &str) -> &'static str {
    crate::policy::find(policy).map_or("", |e| e.paper)
}

/// An unknown value as `NaN`, so that pandas, polars and readr read a column that is unknown
/// throughout (the paper's water split) as numbers, as missing, with no options.
fn unknown_as_nan<S: serde::Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_f64(value.unwrap_or(f64::NAN))
}

impl RunResults<'_> {
    /// `demand.csv`: each gateway's demand in each hour.
    pub(super) fn demand_csv(&self) -> Result<Vec<u8>> {
        let p = self.problem;
        let rows = (0..p.n_hours()).flat_map(|t| {
            p.fleet
                .gateways
                .iter()
                .enumerate()
                .map(move |(g, gateway)| DemandRow {
                    hour_utc: &p.hours[t],
                    gateway,
                    demand_mw: p.demand_mw[t][g],
                })
        });
        to_csv("demand.csv", rows)
    }

    /// The distance and round-trip time of the pair (`dc`, `gateway`), where known.
    fn pair_distance(&self, dc: usize, gateway: usize) -> (Option<f64>, Option<f64>) {
        let n = self.problem.fleet.gateways.len();
        let km = self.pair_km.as_ref().map(|km| km[dc * n + gateway]);
        let rtt = self.scenario.pair_rtt_ms.as_ref().map(|ms| ms[dc * n + gateway]);
        (km, rtt)
    }

    /// `routes.csv`: the (gateway, data center) pairs the routing allows, gateway by gateway.
    pub(super) fn routes_csv(&self) -> Result<Vec<u8>> {
        let fleet = &self.problem.fleet;
        let rows = fleet.gateways.iter().enumerate().flat_map(|(g, gateway)| {
            fleet
                .dcs
                .iter()
                .enumerate()
                .filter(move |&(d, _)| fleet.routing.allows(d, g))
                .map(move |(d, dc)| {
                    let (distance_km, rtt_ms) = self.pair_distance(d, g);
                    RouteRow {
                        gateway,
                        dc,
                        nearest: fleet.nearest_dc[g] == d,
                        distance_km,
                        rtt_ms,
                    }
                })
        });
        to_csv("routes.csv", rows)
    }

    /// `flows.csv`: per policy and hour, each pair that carries load, gateway by gateway.
    pub(super) fn flows_csv(&self) -> Result<Vec<u8>> {
        let (p, fleet) = (self.problem, &self.problem.fleet);
        let rows = self.runs.iter().flat_map(|run| {
            run.flows.iter().enumerate().flat_map(move |(t, flows)| {
                let mut flows = flows.clone();
                flows.sort_by_key(|f| (f.gateway, f.dc));
                flows.into_iter().map(move |f| {
                    let (d, g) = (f.dc as usize, f.gateway as usize);
                    let (distance_km, rtt_ms) = self.pair_distance(d, g);
                    FlowRow {
                        policy: &run.policy,
                        hour_utc: &p.hours[t],
                        gateway: &fleet.gateways[g],
                        dc: &fleet.dcs[d],
                        load_mw: f.load_mw,
                        distance_km,
                        rtt_ms,
                    }
                })
            })
        });
        to_csv("flows.csv", rows)
    }

    pub(super) fn regions_csv(&self) -> Result<Vec<u8>> {
        let totals = &self.totals;
        let split = self.problem.water_onsite_l_per_kwh.is_some();
        let rows = self.runs.iter().zip(totals).flat_map(|(run, dcs)| {
            dcs.iter().zip(&self.problem.fleet.dcs).map(move |(f, dc)| {
                let row = RegionRow {
                    policy: &run.policy,
                    dc,
                    energy_mwh: f.energy_mwh,
                    cost_usd: f.cost_usd,
                };
                (row, Split::of(f, split))
            })
        });
        to_csv("regions.csv", rows)
    }

    pub(super) fn hourly_csv(&self) -> Result<Vec<u8>> {
        let p = self.problem;
        let split = p.water_onsite_l_per_kwh.is_some();
        let rows = self.runs.iter().flat_map(|run| {
            run.loads_mw.iter().enumerate().flat_map(move |(t, loads)| {
                loads.iter().enumerate().map(move |(d, &load)| {
                    let f = p.footprint(t, d, load);
                    let row = HourRow {
                        policy: &run.policy,
                        hour_utc: &p.hours[t],
                        dc: &p.fleet.dcs[d],
                        load_mw: load,
                        cost_usd: f.cost_usd,
                    };
                    (row, Split::of(&f, split))
                })
            })
        });
        to_csv("hourly.csv", rows)
    }

    pub(super) fn summary_csv(&self) -> Result<Vec<u8>> {
        let header = ["policy", "paper_name"]
            .into_iter()
            .chain(SUMMARY_COLUMNS)
            .map(String::from);
        let rows = self.runs.iter().zip(self.summaries.iter().copied());
        let records = rows.map(|(run, (s, gap))| {
            [run.policy.clone(), paper_name(&run.policy).to_string()]
                .into_iter()
                .chain(summary_values(&s, gap))
                .collect()
        });
        records_csv("summary.csv", std::iter::once(header.collect()).chain(records))
    }

    pub(super) fn intensity_csv(&self) -> Result<Vec<u8>> {
        let p = self.problem;
        let rows = (0..p.n_hours()).flat_map(|t| {
            let hour = p.hour(t);
            p.fleet.dcs.iter().enumerate().map(move |(d, dc)| IntensityRow {
                hour_utc: &p.hours[t],
                dc,
                price_usd_per_mwh: hour.price_usd_per_mwh[d],
                carbon_kg_per_kwh: hour.carbon_kg_per_kwh[d],
                water_l_per_kwh: hour.water_l_per_kwh[d],
                water_onsite_l_per_kwh: p.water_onsite_l_per_kwh.as_ref().map(|w| w[t][d]),
            })
        });
        to_csv("intensity.csv", rows)
    }

    pub(super) fn timings_csv(&self) -> Result<Vec<u8>> {
        to_csv(
            "timings.csv",
            self.runs.iter().map(|r| TimingRow {
                policy: &r.policy,
                seconds: r.seconds,
            }),
        )
    }
}

/// `what` could not be rendered.
pub(super) fn render_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Render {
        what: what.to_string(),
        msg: e.to_string(),
    }
}

/// `rows` as the CSV file `what` (serde rows with a header from their field names).
fn to_csv<T: Serialize>(what: &str, rows: impl Iterator<Item = T>) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row).map_err(|e| render_error(what, e))?;
    }
    writer.into_inner().map_err(|e| render_error(what, e))
}
