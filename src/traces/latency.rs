//! Measured round-trip times between gateways and data centers, in one of two layouts:
//! - long, by site name: `gateway,dc,rtt_ms` (columns by name, in any order; other columns and
//!   rows for other sites ignored);
//! - a square matrix keyed by zone, as the GCP inter-region matrix of `traces/latency/`:
//!   `origin,<zone>,<zone>,...`, one row per origin zone, ms from the row's zone to the column's.
//!   Every site has a zone in the scenario's `[latency] zones`; a zone given more than once (two cloud regions in one
//!   grid zone) counts with its lowest time; values of 999,999,999 and more mean "not measured".
//!
//! A pair with no measurement gets `NaN`: it is out of reach of a round-trip limit, and unknown
//! in the outputs.

use std::collections::HashMap;
use std::path::Path;

use super::{number, open, row, row_error};
use crate::error::{Error, Result, listed};

/// What the upstream matrix writes for a pair it has no measurement of.
pub const NOT_MEASURED_MS: f64 = 999_999_999.0;

/// One site: its name and, for a zone-keyed matrix, its zone.
pub struct Site {
    /// Its name in the scenario.
    pub name: String,
    /// Its zone (`[latency] zones`), if given.
    pub zone: Option<String>,
}

/// Every (data center, gateway) pair's round-trip time, ms, data-center major (`NaN` where not
/// measured), read from `path`.
pub fn read_rtt_matrix(path: &Path, dcs: &[Site], gateways: &[Site]) -> Result<Vec<f64>> {
    let mut reader = open(path)?;
    let header = reader
        .headers()
        .map_err(|e| Error::file(path, format!("unreadable header: {e}")))?
        .clone();
    if header.get(0) == Some("origin") {
        read_zone_matrix(path, reader, &header, dcs, gateways)
    } else {
        read_long(path, reader, dcs, gateways)
    }
}

fn read_long(
    path: &Path,
    mut reader: csv::Reader<Box<dyn std::io::Read>>,
    dcs: &[Site],
    gateways: &[Site],
) -> Result<Vec<f64>> {
    let at = super::find_columns(path, &mut reader, &["gateway", "dc", "rtt_ms"])?;
    let index = |sites: &[Site]| -> HashMap<String, usize> {
        sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.to_string(), i))
            .collect()
    };
    let (dc_index, gateway_index) = (index(dcs), index(gateways));
    let mut rtt = vec![f64::NAN; dcs.len() * gateways.len()];
    for record in reader.records() {
        let (line, record) = row(path, record)?;
        let row_err = row_error(path, line);
        let (Some(&g), Some(&d)) = (gateway_index.get(&record[at[0]]), dc_index.get(&record[at[1]])) else {
            continue;
        };
        let value = number(&record[at[2]], "rtt_ms", false).map_err(row_err)?;
        let cell = &mut rtt[d * gateways.len() + g];
        if !cell.is_nan() {
            return Err(row_err(format!(
                "the pair {},{} is given twice",
                &record[at[0]], &record[at[1]]
            )));
        }
        *cell = value;
    }
    Ok(rtt)
}

fn read_zone_matrix(
    path: &Path,
    reader: csv::Reader<Box<dyn std::io::Read>>,
    header: &csv::StringRecord,
    dcs: &[Site],
    gateways: &[Site],
) -> Result<Vec<f64>> {
    // (origin zone, destination zone) -> the lowest time given.
    let mut times: HashMap<(String, String), f64> = HashMap::new();
    for record in reader.into_records() {
        let (line, record) = row(path, record)?;
        let row_err = row_error(path, line);
        for (c, text) in record.iter().enumerate().skip(1) {
            let value = number(text, &header[c], false).map_err(row_err)?;
            let key = (record[0].to_string(), header[c].to_string());
            let best = times.entry(key).or_insert(value);
            *best = best.min(value);
        }
    }
    let zones: Vec<&str> = header.iter().skip(1).collect();
    let zone_of = |kind: &str, site: &Site| -> Result<String> {
        let zone = site.zone.as_deref().ok_or_else(|| {
            Error::file(
                path,
                format!(
                    "is keyed by zone: {kind} `{}` needs one in [latency] zones",
                    site.name
                ),
            )
        })?;
        if !zones.contains(&zone) {
            return Err(Error::file(
                path,
                format!(
                    "has no zone `{zone}` ({kind} `{}`); its zones: {}",
                    site.name,
                    listed(&zones, ", ")
                ),
            ));
        }
        Ok(zone.to_string())
    };
    let dc_zones: Vec<String> = dcs.iter().map(|s| zone_of("dc", s)).collect::<Result<_>>()?;
    let gateway_zones: Vec<String> = gateways
        .iter()
        .map(|s| zone_of("gateway", s))
        .collect::<Result<_>>()?;
    Ok(dc_zones
        .iter()
        .flat_map(|dc| {
            gateway_zones.iter().map(|gateway| {
                let value = times
                    .get(&(gateway.clone(), dc.clone()))
                    .copied()
                    .unwrap_or(f64::NAN);
                if value >= NOT_MEASURED_MS { f64::NAN } else { value }
            })
        })
        .collect())
}
