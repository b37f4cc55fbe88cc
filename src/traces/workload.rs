//! The workload file: `hour_utc,<column>,...`, one hourly series per column (columns matched by
//! name in any order; `timestamp_utc` may name the hour).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{next_hour, number, open, parse_hour, row, row_error};
use crate::error::{Error, Result};

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

/// Reads and validates one column of an hourly workload file (`hour_utc,<column>,...`).
pub fn read_workload(path: &Path, column: &str) -> Result<WorkloadTrace> {
    let mut reader = open(path)?;
    let at = super::find_columns(path, &mut reader, &["hour_utc", column])?;
    let (time, col) = (at[0], at[1]);
    let mut hours = Vec::new();
    let mut values = Vec::new();
    for record in reader.records() {
        let (line, record) = row(path, record)?;
        let row_err = row_error(path, line);
        let hour = parse_hour(&record[time]).map_err(row_err)?;
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
