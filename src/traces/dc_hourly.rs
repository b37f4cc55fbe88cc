//! The per-data-center intensity file, long format:
//! `hour_utc,dc,price_usd_per_mwh,carbon_kg_per_kwh,water_l_per_kwh`, columns matched by name in
//! any order (`timestamp_utc` may name the hour; other columns are ignored, so a run's own
//! `intensity.csv` reads as one).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{find_columns, format_hour, next_hour, number, open, parse_hour, plausible, row, row_error};
use crate::error::{Error, Result};

/// Column names of the per-data-center intensity file.
pub const DC_COLUMNS: [&str; 5] = [
    "hour_utc",
    "dc",
    "price_usd_per_mwh",
    "carbon_kg_per_kwh",
    "water_l_per_kwh",
];

/// Hourly intensities of every data center, aligned on one list of hours.
#[derive(Debug, Clone)]
pub struct DcTraces {
    /// Where they were read from.
    pub path: PathBuf,
    /// The hours, consecutive, hour-beginning, UTC.
    pub hours: Vec<DateTime<Utc>>,
    /// Data-center names in order of first appearance in the file.
    pub dcs: Vec<String>,
    /// `series[d]` holds data center `d`'s intensities, one per hour.
    pub series: Vec<DcSeries>,
}

/// One data center's hourly intensities, per kWh (or MWh) of server energy.
#[derive(Debug, Clone, Default)]
pub struct DcSeries {
    /// Electricity price, USD/MWh (may be negative).
    pub price_usd_per_mwh: Vec<f64>,
    /// Carbon intensity, kg CO2 per kWh.
    pub carbon_kg_per_kwh: Vec<f64>,
    /// Water intensity (on-site + off-site), L per kWh.
    pub water_l_per_kwh: Vec<f64>,
    /// The on-site part of `water_l_per_kwh`, where known (physical traces), L per kWh.
    pub water_onsite_l_per_kwh: Option<Vec<f64>>,
}

/// Reads and validates the per-data-center intensity file.
pub fn read_dc_traces(path: &Path) -> Result<DcTraces> {
    let mut reader = open(path)?;
    let at = find_columns(path, &mut reader, &DC_COLUMNS)?;
    let mut dcs: Vec<String> = Vec::new();
    let mut dc_index: HashMap<String, usize> = HashMap::new();
    let mut hours: Vec<Vec<DateTime<Utc>>> = Vec::new();
    let mut series: Vec<DcSeries> = Vec::new();
    for record in reader.records() {
        let (line, record) = row(path, record)?;
        let row_err = row_error(path, line);
        let hour = parse_hour(&record[at[0]]).map_err(row_err)?;
        let dc = record[at[1]].trim();
        if dc.is_empty() {
            return Err(row_err("empty `dc` name".into()));
        }
        let d = match dc_index.get(dc) {
            Some(&d) => d,
            None if dcs.len() == super::MAX_KEYS => {
                return Err(row_err(format!("more than {} data centers", super::MAX_KEYS)));
            }
            None => {
                dc_index.insert(dc.to_string(), dcs.len());
                dcs.push(dc.to_string());
                hours.push(Vec::new());
                series.push(DcSeries::default());
                dcs.len() - 1
            }
        };
        next_hour(&hours[d], hour, &format!("dc `{dc}`")).map_err(row_err)?;
        hours[d].push(hour);
        let s = &mut series[d];
        let [price, carbon, water] = [(2, true), (3, false), (4, false)].map(|(c, negative_ok)| {
            number(&record[at[c]], DC_COLUMNS[c], negative_ok).and_then(|v| plausible(v, DC_COLUMNS[c]))
        });
        s.price_usd_per_mwh.push(price.map_err(row_err)?);
        s.carbon_kg_per_kwh.push(carbon.map_err(row_err)?);
        s.water_l_per_kwh.push(water.map_err(row_err)?);
    }
    if dcs.is_empty() {
        return Err(Error::file(path, "no data rows"));
    }
    for (d, dc_hours) in hours.iter().enumerate().skip(1) {
        if dc_hours != &hours[0] {
            return Err(Error::file(
                path,
                format!(
                    "dc `{}` covers {} hours from {}, but dc `{}` covers {} hours from {}: every dc needs the same hours",
                    dcs[d],
                    dc_hours.len(),
                    format_hour(&dc_hours[0]),
                    dcs[0],
                    hours[0].len(),
                    format_hour(&hours[0][0])
                ),
            ));
        }
    }
    let hours = hours.swap_remove(0);
    Ok(DcTraces {
        path: path.to_path_buf(),
        hours,
        dcs,
        series,
    })
}
