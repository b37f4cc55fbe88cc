//! The tables of a results folder, one function each: per policy (`summary.csv`), per data center
//! (`regions.csv`), per hour and data center (`hourly.csv`, `intensity.csv`), per hour and gateway
//! (`demand.csv`), per hour and pair (`flows.csv`), per allowed pair (`routes.csv`), and the
//! timings. Each is built once as named columns ([`Table`]), which the folder writes as CSV and
//! the Python binding hands over as data frames, so both read the same values.

use super::{RunResults, SUMMARY_COLUMNS, summary_numbers};
use crate::error::{Error, Result};
use crate::footprint::Footprint;

/// One column of a results table.
#[derive(Debug, Clone, PartialEq)]
pub enum Column<'a> {
    /// Names and hour labels.
    Text(Vec<&'a str>),
    /// Numbers; unknown ones are `NaN`.
    Number(Vec<f64>),
    /// Yes or no.
    Flag(Vec<bool>),
}

impl Column<'_> {
    fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Number(v) => v.len(),
            Column::Flag(v) => v.len(),
        }
    }
}

/// A results table: named columns of equal length, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table<'a> {
    /// Each column's name (with its unit) and values.
    pub columns: Vec<(&'static str, Column<'a>)>,
}

impl<'a> Table<'a> {
    fn text(mut self, name: &'static str, values: Vec<&'a str>) -> Self {
        self.columns.push((name, Column::Text(values)));
        self
    }

    fn number(mut self, name: &'static str, values: Vec<f64>) -> Self {
        self.columns.push((name, Column::Number(values)));
        self
    }

    /// The table's rows.
    pub fn n_rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    /// The table as the CSV file `what`: a header of the column names, then a line per row,
    /// numbers as [`super::number_text`] writes them (cell by cell, with no text allocated).
    pub fn csv(&self, what: &str) -> Result<Vec<u8>> {
        let failed = |e: csv::Error| super::render_error(what, e);
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer
            .write_record(self.columns.iter().map(|(name, _)| name))
            .map_err(failed)?;
        let mut number = ryu::Buffer::new();
        for i in 0..self.n_rows() {
            for (_, column) in &self.columns {
                let cell = match column {
                    Column::Text(v) => v[i],
                    Column::Number(v) => number.format(v[i]),
                    Column::Flag(v) => {
                        if v[i] {
                            "true"
                        } else {
                            "false"
                        }
                    }
                };
                writer.write_field(cell).map_err(failed)?;
            }
            writer.write_record(None::<&[u8]>).map_err(failed)?;
        }
        writer.into_inner().map_err(|e| super::render_error(what, e))
    }
}

/// The policy's name in the eGLB paper, from the registry (empty for a policy not registered).
pub fn paper_name(policy: &str) -> &'static str {
    crate::policy::find(policy).map_or("", |e| e.paper)
}

/// The columns of footprints with their parts, after the columns saying whose they are; the water
/// parts are unknown (`NaN`) where the traces do not split water (precomputed intensities such
/// as the paper's).
fn with_footprints<'a>(table: Table<'a>, footprints: &[Footprint], water_split: bool) -> Table<'a> {
    let of = |f: fn(&Footprint) -> f64| footprints.iter().map(f).collect::<Vec<f64>>();
    let split = |f: fn(&Footprint) -> f64| match water_split {
        true => of(f),
        false => vec![f64::NAN; footprints.len()],
    };
    table
        .number("cost_usd", of(|f| f.cost_usd))
        .number("carbon_kg", of(|f| f.carbon_kg))
        .number("carbon_operational_kg", of(Footprint::carbon_operational_kg))
        .number("carbon_embodied_kg", of(|f| f.carbon_embodied_kg))
        .number("water_l", of(|f| f.water_l))
        .number("water_onsite_l", split(|f| f.water_onsite_l))
        .number("water_offsite_l", split(Footprint::water_offsite_l))
}

impl RunResults<'_> {
    /// `demand.csv`: each gateway's demand in each hour.
    pub fn demand_table(&self) -> Table<'_> {
        let p = self.problem;
        let pairs = (0..p.n_hours()).flat_map(|t| (0..p.fleet.gateways.len()).map(move |g| (t, g)));
        let (hours, gateways): (Vec<_>, Vec<_>) = pairs
            .clone()
            .map(|(t, g)| (p.hours[t].as_str(), p.fleet.gateways[g].as_str()))
            .unzip();
        Table::default()
            .text("hour_utc", hours)
            .text("gateway", gateways)
            .number("demand_mw", pairs.map(|(t, g)| p.demand_mw[t][g]).collect())
    }

    /// The distance and round-trip time of the pair (`dc`, `gateway`), `NaN` where unknown.
    fn pair_distance(&self, dc: usize, gateway: usize) -> (f64, f64) {
        let n = self.problem.fleet.gateways.len();
        let km = self.pair_km.as_ref().map(|km| km[dc * n + gateway]);
        let rtt = self.scenario.pair_rtt_ms.as_ref().map(|ms| ms[dc * n + gateway]);
        (km.unwrap_or(f64::NAN), rtt.unwrap_or(f64::NAN))
    }

    /// `(dc, gateway)` pairs as the columns `distance_km` and `rtt_ms`.
    fn with_distances<'a>(&self, table: Table<'a>, pairs: &[(usize, usize)]) -> Table<'a> {
        let (km, ms) = pairs.iter().map(|&(d, g)| self.pair_distance(d, g)).unzip();
        table.number("distance_km", km).number("rtt_ms", ms)
    }

    /// `routes.csv`: the (gateway, data center) pairs the routing allows, gateway by gateway.
    pub fn routes_table(&self) -> Table<'_> {
        let fleet = &self.problem.fleet;
        let pairs: Vec<(usize, usize)> = (0..fleet.gateways.len())
            .flat_map(|g| (0..fleet.dcs.len()).map(move |d| (d, g)))
            .filter(|&(d, g)| fleet.routing.allows(d, g))
            .collect();
        let mut table = Table::default()
            .text(
                "gateway",
                pairs.iter().map(|&(_, g)| fleet.gateways[g].as_str()).collect(),
            )
            .text("dc", pairs.iter().map(|&(d, _)| fleet.dcs[d].as_str()).collect());
        let nearest = pairs.iter().map(|&(d, g)| fleet.nearest_dc[g] == d).collect();
        table.columns.push(("nearest", Column::Flag(nearest)));
        self.with_distances(table, &pairs)
    }

    /// `flows.csv`: per policy and hour, each pair that carries load, gateway by gateway.
    pub fn flows_table(&self) -> Table<'_> {
        let (p, fleet) = (self.problem, &self.problem.fleet);
        let mut policies = Vec::new();
        let mut hours = Vec::new();
        let mut pairs = Vec::new();
        let mut loads = Vec::new();
        for run in self.runs {
            for (t, flows) in run.flows.iter().enumerate() {
                let mut flows = flows.clone();
                flows.sort_by_key(|f| (f.gateway, f.dc));
                for f in flows {
                    policies.push(run.policy.as_str());
                    hours.push(p.hours[t].as_str());
                    pairs.push((f.dc as usize, f.gateway as usize));
                    loads.push(f.load_mw);
                }
            }
        }
        let table = Table::default()
            .text("policy", policies)
            .text("hour_utc", hours)
            .text(
                "gateway",
                pairs.iter().map(|&(_, g)| fleet.gateways[g].as_str()).collect(),
            )
            .text("dc", pairs.iter().map(|&(d, _)| fleet.dcs[d].as_str()).collect())
            .number("load_mw", loads);
        self.with_distances(table, &pairs)
    }

    /// `regions.csv`: per policy, each data center's totals over the horizon.
    pub fn regions_table(&self) -> Table<'_> {
        let dcs = &self.problem.fleet.dcs;
        let rows = self.runs.iter().zip(&self.totals).flat_map(|(run, totals)| {
            totals
                .iter()
                .zip(dcs)
                .map(move |(f, dc)| (run.policy.as_str(), dc.as_str(), *f))
        });
        let (names, footprints): (Vec<(&str, &str)>, Vec<Footprint>) =
            rows.map(|(policy, dc, f)| ((policy, dc), f)).unzip();
        let table = Table::default()
            .text("policy", names.iter().map(|n| n.0).collect())
            .text("dc", names.iter().map(|n| n.1).collect())
            .number("energy_mwh", footprints.iter().map(|f| f.energy_mwh).collect());
        with_footprints(table, &footprints, self.problem.water_onsite_l_per_kwh.is_some())
    }

    /// `hourly.csv`: per policy, each data center's load and footprint in each hour.
    pub fn hourly_table(&self) -> Table<'_> {
        let p = self.problem;
        let (mut names, mut loads, mut footprints) = (Vec::new(), Vec::new(), Vec::new());
        for run in self.runs {
            for (t, hour_loads) in run.loads_mw.iter().enumerate() {
                for (d, &load) in hour_loads.iter().enumerate() {
                    names.push((run.policy.as_str(), p.hours[t].as_str(), p.fleet.dcs[d].as_str()));
                    loads.push(load);
                    footprints.push(p.footprint(t, d, load));
                }
            }
        }
        let table = Table::default()
            .text("policy", names.iter().map(|n| n.0).collect())
            .text("hour_utc", names.iter().map(|n| n.1).collect())
            .text("dc", names.iter().map(|n| n.2).collect())
            .number("load_mw", loads);
        with_footprints(table, &footprints, p.water_onsite_l_per_kwh.is_some())
    }

    /// `summary.csv`: per policy, the metrics of [`SUMMARY_COLUMNS`].
    pub fn summary_table(&self) -> Table<'_> {
        let mut table = Table::default()
            .text("policy", self.runs.iter().map(|r| r.policy.as_str()).collect())
            .text(
                "paper_name",
                self.runs.iter().map(|r| paper_name(&r.policy)).collect(),
            );
        for (i, column) in SUMMARY_COLUMNS.into_iter().enumerate() {
            let values = self.summaries.iter().map(|(s, gap)| summary_numbers(s, *gap)[i]);
            table = table.number(column, values.map(|v| v.unwrap_or(f64::NAN)).collect());
        }
        table
    }

    /// `intensity.csv`: each data center's intensities in each hour.
    pub fn intensity_table(&self) -> Table<'_> {
        let p = self.problem;
        let pairs: Vec<(usize, usize)> = (0..p.n_hours())
            .flat_map(|t| (0..p.fleet.dcs.len()).map(move |d| (t, d)))
            .collect();
        let series = |s: &Vec<Vec<f64>>| pairs.iter().map(|&(t, d)| s[t][d]).collect::<Vec<f64>>();
        let onsite = match &p.water_onsite_l_per_kwh {
            Some(w) => series(w),
            None => vec![f64::NAN; pairs.len()],
        };
        Table::default()
            .text(
                "hour_utc",
                pairs.iter().map(|&(t, _)| p.hours[t].as_str()).collect(),
            )
            .text(
                "dc",
                pairs.iter().map(|&(_, d)| p.fleet.dcs[d].as_str()).collect(),
            )
            .number("price_usd_per_mwh", series(&p.price_usd_per_mwh))
            .number("carbon_kg_per_kwh", series(&p.carbon_kg_per_kwh))
            .number("water_l_per_kwh", series(&p.water_l_per_kwh))
            .number("water_onsite_l_per_kwh", onsite)
    }

    /// `timings.csv`: each policy's wall-clock seconds.
    pub fn timings_table(&self) -> Table<'_> {
        Table::default()
            .text("policy", self.runs.iter().map(|r| r.policy.as_str()).collect())
            .number("seconds", self.runs.iter().map(|r| r.seconds).collect())
    }

    /// The files of the folder holding a table, in the order they are written: the
    /// always-written ones, the per-hour files [`super::Outputs`] chooses, then `timings.csv`.
    pub fn table_files(&self) -> Vec<&'static str> {
        let per_hour = [
            (self.outputs.hourly, "hourly.csv"),
            (self.outputs.flows, "flows.csv"),
        ];
        [
            "regions.csv",
            "summary.csv",
            "demand.csv",
            "intensity.csv",
            "routes.csv",
        ]
        .into_iter()
        .chain(per_hour.into_iter().filter_map(|(on, file)| on.then_some(file)))
        .chain(["timings.csv"])
        .collect()
    }

    /// The table of the folder's file `file` (whether or not [`super::Outputs`] writes it), if
    /// it is one of [`Self::table_files`]'s names.
    pub fn table(&self, file: &str) -> Option<Table<'_>> {
        Some(match file {
            "regions.csv" => self.regions_table(),
            "summary.csv" => self.summary_table(),
            "demand.csv" => self.demand_table(),
            "intensity.csv" => self.intensity_table(),
            "routes.csv" => self.routes_table(),
            "hourly.csv" => self.hourly_table(),
            "flows.csv" => self.flows_table(),
            "timings.csv" => self.timings_table(),
            _ => return None,
        })
    }
}

/// `what` could not be rendered.
pub(super) fn render_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Render {
        what: what.to_string(),
        msg: e.to_string(),
    }
}
