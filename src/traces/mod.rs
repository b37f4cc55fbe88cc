//! Reading and validating hourly trace files.
//!
//! This module owns the CSV formats in `traces/`: the per-data-center intensity file
//! (`hour_utc,dc,price_usd_per_mwh,carbon_kg_per_kwh,water_l_per_kwh`, long format) and the
//! workload file (`hour_utc,<column>`). Every check that can be made on a file alone is made
//! here: the header names its units, each hour is a UTC hour, hours are gap-free and identical
//! for every data center, values are finite and non-negative where negativity is impossible
//! (prices may be negative). Errors name the file and line.

use std::path::{Path, PathBuf};

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{DateTime, Timelike, Utc};
use sha2::Digest;

use crate::error::{Error, Result};

pub mod physical;

/// Column names of the per-data-center intensity file, in order.
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

/// One hourly series of the workload file.
#[derive(Debug, Clone)]
pub struct WorkloadTrace {
    /// Where it was read from.
    pub path: PathBuf,
    /// The hours, consecutive, UTC.
    pub hours: Vec<DateTime<Utc>>,
    /// The values of the chosen column (non-negative).
    pub values: Vec<f64>,
}

/// Formats an hour as the files and outputs write it: `2022-09-22T00:00:00Z`.
pub fn format_hour(hour: &DateTime<Utc>) -> String {
    hour.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Reads and validates the per-data-center intensity file.
pub fn read_dc_traces(path: &Path) -> Result<DcTraces> {
    let mut reader = open(path)?;
    check_header(path, &mut reader, &DC_COLUMNS)?;
    let mut dcs: Vec<String> = Vec::new();
    let mut hours: Vec<Vec<DateTime<Utc>>> = Vec::new();
    let mut series: Vec<DcSeries> = Vec::new();
    for record in reader.records() {
        let (line, record) = row(path, record)?;
        let row_err = row_error(path, line);
        let hour = parse_hour(&record[0]).map_err(row_err)?;
        let dc = record[1].trim();
        if dc.is_empty() {
            return Err(row_err("empty `dc` name".into()));
        }
        let d = match dcs.iter().position(|name| name == dc) {
            Some(d) => d,
            None => {
                dcs.push(dc.to_string());
                hours.push(Vec::new());
                series.push(DcSeries::default());
                dcs.len() - 1
            }
        };
        next_hour(&hours[d], hour, &format!("dc `{dc}`")).map_err(row_err)?;
        hours[d].push(hour);
        let s = &mut series[d];
        s.price_usd_per_mwh
            .push(number(&record[2], DC_COLUMNS[2], true).map_err(row_err)?);
        s.carbon_kg_per_kwh
            .push(number(&record[3], DC_COLUMNS[3], false).map_err(row_err)?);
        s.water_l_per_kwh
            .push(number(&record[4], DC_COLUMNS[4], false).map_err(row_err)?);
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

/// Reads and validates one column of an hourly workload file (`hour_utc,<column>,...`).
pub fn read_workload(path: &Path, column: &str) -> Result<WorkloadTrace> {
    let mut reader = open(path)?;
    let headers = reader
        .headers()
        .map_err(|e| Error::file(path, format!("unreadable header: {e}")))?;
    if headers.get(0) != Some("hour_utc") {
        return Err(Error::file(path, "the first column must be `hour_utc`"));
    }
    let col = headers.iter().position(|h| h == column).ok_or_else(|| {
        let found: Vec<&str> = headers.iter().collect();
        Error::file(
            path,
            format!("no column `{column}` (columns: {})", found.join(",")),
        )
    })?;
    let mut hours = Vec::new();
    let mut values = Vec::new();
    for record in reader.records() {
        let (line, record) = row(path, record)?;
        let row_err = row_error(path, line);
        let hour = parse_hour(&record[0]).map_err(row_err)?;
        next_hour(&hours, hour, "the workload").map_err(row_err)?;
        hours.push(hour);
        values.push(number(&record[col], column, false).map_err(row_err)?);
    }
    if hours.is_empty() {
        return Err(Error::file(path, "no data rows"));
    }
    Ok(WorkloadTrace {
        path: path.to_path_buf(),
        hours,
        values,
    })
}

/// A CSV reader over `path`, decompressing it if the name ends in `.gz`.
fn open(path: &Path) -> Result<csv::Reader<Box<dyn std::io::Read>>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let bytes: Box<dyn std::io::Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)))
    } else {
        Box::new(file)
    };
    Ok(csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes))
}

fn check_header(
    path: &Path,
    reader: &mut csv::Reader<Box<dyn std::io::Read>>,
    expected: &[&str],
) -> Result<()> {
    let headers = reader
        .headers()
        .map_err(|e| Error::file(path, format!("unreadable header: {e}")))?;
    let found: Vec<&str> = headers.iter().collect();
    if found != expected {
        return Err(Error::Row {
            path: path.to_path_buf(),
            line: 1,
            msg: format!(
                "header is `{}`, expected `{}`",
                found.join(","),
                expected.join(",")
            ),
        });
    }
    Ok(())
}

/// Unwraps a CSV record, turning csv's error into one naming the file and line.
fn row(path: &Path, record: csv::Result<csv::StringRecord>) -> Result<(u64, csv::StringRecord)> {
    match record {
        Ok(record) => {
            let line = record.position().map_or(0, |p| p.line());
            Ok((line, record))
        }
        Err(e) => match e.position() {
            Some(p) => Err(Error::Row {
                path: path.to_path_buf(),
                line: p.line(),
                msg: format!("malformed row: {e}"),
            }),
            // A read error between rows (e.g. a truncated gzip stream) has no line.
            None => Err(Error::file(
                path,
                format!("unreadable: {e} (truncated or corrupt?)"),
            )),
        },
    }
}

/// Turns a message about line `line` of `path` into an error.
fn row_error(path: &Path, line: u64) -> impl Fn(String) -> Error + Copy + '_ {
    move |msg| Error::Row {
        path: path.to_path_buf(),
        line,
        msg,
    }
}

fn parse_hour(text: &str) -> std::result::Result<DateTime<Utc>, String> {
    let hour = DateTime::parse_from_rfc3339(text)
        .map_err(|_| format!("`{text}` is not an RFC 3339 time such as 2022-09-22T00:00:00Z"))?
        .with_timezone(&Utc);
    if hour.minute() != 0 || hour.second() != 0 || hour.nanosecond() != 0 {
        return Err(format!("`{text}` is not on the hour"));
    }
    Ok(hour)
}

/// Checks that `hour` directly follows the last of `seen` (gap-free, no duplicate, increasing).
fn next_hour(seen: &[DateTime<Utc>], hour: DateTime<Utc>, what: &str) -> std::result::Result<(), String> {
    let Some(last) = seen.last() else { return Ok(()) };
    let step = (hour - *last).num_hours();
    match step {
        1 => Ok(()),
        0 => Err(format!("duplicate hour {} for {what}", format_hour(&hour))),
        s if s > 1 => Err(format!(
            "{what} jumps from {} to {}: {} missing hour(s)",
            format_hour(last),
            format_hour(&hour),
            s - 1
        )),
        _ => Err(format!(
            "hour {} for {what} comes after {}: hours must increase",
            format_hour(&hour),
            format_hour(last)
        )),
    }
}

fn number(text: &str, column: &str, negative_ok: bool) -> std::result::Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("`{column}`: `{text}` is not a number"))?;
    if !value.is_finite() {
        return Err(format!("`{column}`: `{text}` is not a finite number"));
    }
    if !negative_ok && value < 0.0 {
        return Err(format!("`{column}`: {text} is negative; expected a value >= 0"));
    }
    Ok(value)
}

/// Trace files read once and shared read-only, keyed by path (and column, for workloads).
#[derive(Debug, Default)]
pub struct TraceCache {
    dc: HashMap<PathBuf, DcTraces>,
    physical: HashMap<Vec<PathBuf>, physical::PhysicalTraces>,
    workload: HashMap<(PathBuf, String), WorkloadTrace>,
    sha256: std::collections::BTreeMap<PathBuf, String>,
}

impl TraceCache {
    /// Reads the traces `scenario` needs, unless already read.
    pub fn preload(&mut self, scenario: &crate::scenario::Scenario) -> Result<()> {
        let files = &scenario.raw.traces;
        match &files.dc_hourly {
            Some(path) => {
                if let Entry::Vacant(slot) = self.dc.entry(path.clone()) {
                    slot.insert(read_dc_traces(path)?);
                }
            }
            None => {
                if let Entry::Vacant(slot) = self.physical.entry(physical_key(files)) {
                    slot.insert(physical::PhysicalTraces::read(files)?);
                }
            }
        }
        for path in files.paths() {
            if !self.sha256.contains_key(path) {
                let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
                let hex = sha2::Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                self.sha256.insert(path.clone(), hex);
            }
        }
        let key = (files.workload.clone(), scenario.raw.workload.column.clone());
        if let Entry::Vacant(slot) = self.workload.entry(key) {
            let trace = read_workload(&slot.key().0, &slot.key().1)?;
            slot.insert(trace);
        }
        Ok(())
    }

    /// SHA-256 of every trace file read so far, sorted (what the data is, wherever it lives).
    pub fn content_sha256(&self) -> Vec<String> {
        let mut hashes: Vec<String> = self.sha256.values().cloned().collect();
        hashes.sort();
        hashes.dedup();
        hashes
    }

    /// The physical traces of `scenario`, if it has them, from [`TraceCache::preload`].
    pub fn physical(&self, scenario: &crate::scenario::Scenario) -> Option<&physical::PhysicalTraces> {
        self.physical.get(&physical_key(&scenario.raw.traces))
    }

    /// The problem of `scenario`, from traces read by [`TraceCache::preload`].
    pub fn problem(&self, scenario: &crate::scenario::Scenario) -> Result<crate::problem::Problem> {
        Ok(self.problem_and_sites(scenario)?.0)
    }

    /// The problem of `scenario`, and for physical traces the derived per-site series it was
    /// built from (for `fairglb traces check`).
    pub fn problem_and_sites(
        &self,
        scenario: &crate::scenario::Scenario,
    ) -> Result<(crate::problem::Problem, Option<Vec<crate::intensity::Site>>)> {
        let files = &scenario.raw.traces;
        let not_loaded = |path: &Path| Error::file(path, "trace not preloaded (a bug in the caller)");
        let workload = self
            .workload
            .get(&(files.workload.clone(), scenario.raw.workload.column.clone()))
            .ok_or_else(|| not_loaded(&files.workload))?;
        if let Some(path) = &files.dc_hourly {
            let dc = self.dc.get(path).ok_or_else(|| not_loaded(path))?;
            return Ok((
                crate::problem::Problem::from_scenario(scenario, dc, workload)?,
                None,
            ));
        }
        let traces = self
            .physical(scenario)
            .ok_or_else(|| not_loaded(&scenario.path))?;
        let sites = crate::intensity::derive(scenario, traces)?;
        let dc = crate::intensity::dc_traces(&sites, traces);
        let problem = crate::problem::Problem::from_scenario(scenario, &dc, workload)?;
        Ok((problem, Some(sites)))
    }
}

fn physical_key(files: &crate::scenario::TraceFiles) -> Vec<PathBuf> {
    files.paths().into_iter().cloned().collect()
}
