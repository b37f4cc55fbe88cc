//! Reading and validating hourly trace files; readers take paths and compute nothing physical.
//!
//! This module owns the CSV formats in `traces/`: the per-data-center intensity file
//! ([`dc_hourly`]), the workload file ([`workload`]) and the physical traces ([`physical`]).
//! Every check that can be made on a file alone is made here: the header names its units, each
//! hour is a UTC hour, hours are gap-free and identical for every key, values are finite and
//! non-negative where negativity is impossible (prices may be negative). Errors name the file
//! and line.

use std::path::Path;

use chrono::{DateTime, Timelike, Utc};

use crate::error::{Error, Result};

pub mod dc_hourly;
pub mod physical;
pub mod workload;

pub use dc_hourly::{DcSeries, DcTraces, read_dc_traces};
pub use workload::{WorkloadTrace, read_workload};

/// Formats an hour as the files and outputs write it: `2022-09-22T00:00:00Z`.
pub fn format_hour(hour: &DateTime<Utc>) -> String {
    hour.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A CSV reader over `path`, decompressing it if the name ends in `.gz`.
pub(crate) fn open(path: &Path) -> Result<csv::Reader<Box<dyn std::io::Read>>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let bytes: Box<dyn std::io::Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)))
    } else {
        Box::new(file)
    };
    Ok(csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes))
}

pub(crate) fn check_header(
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
pub(crate) fn row(path: &Path, record: csv::Result<csv::StringRecord>) -> Result<(u64, csv::StringRecord)> {
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
pub(crate) fn row_error(path: &Path, line: u64) -> impl Fn(String) -> Error + Copy + '_ {
    move |msg| Error::Row {
        path: path.to_path_buf(),
        line,
        msg,
    }
}

pub(crate) fn parse_hour(text: &str) -> std::result::Result<DateTime<Utc>, String> {
    let hour = DateTime::parse_from_rfc3339(text)
        .map_err(|_| format!("`{text}` is not an RFC 3339 time such as 2022-09-22T00:00:00Z"))?
        .with_timezone(&Utc);
    if hour.minute() != 0 || hour.second() != 0 || hour.nanosecond() != 0 {
        return Err(format!("`{text}` is not on the hour"));
    }
    Ok(hour)
}

/// Checks that `hour` directly follows the last of `seen` (gap-free, no duplicate, increasing).
pub(crate) fn next_hour(
    seen: &[DateTime<Utc>],
    hour: DateTime<Utc>,
    what: &str,
) -> std::result::Result<(), String> {
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

pub(crate) fn number(text: &str, column: &str, negative_ok: bool) -> std::result::Result<f64, String> {
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
