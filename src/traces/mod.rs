//! Reading and validating hourly trace files; readers take paths and compute nothing physical.
//!
//! This module owns the CSV formats in `traces/`: the per-data-center intensity file
//! ([`dc_hourly`]), the workload file ([`workload`]) and the physical traces ([`physical`]), and
//! the checks a series needs as a whole: time alignment ([`alignment`]) and anomalies ([`anomalies`]).
//! Every check that can be made on a file alone is made here: the header names its units, each
//! hour is a UTC hour, hours are gap-free and identical for every key, values are finite and
//! non-negative where negativity is impossible (prices may be negative). Errors name the file
//! and line.

use std::path::Path;

use chrono::{DateTime, Timelike, Utc};

use crate::error::{Error, Result, listed};

pub mod alignment;
pub mod anomalies;
pub mod dc_hourly;
pub mod latency;
pub mod physical;
pub mod workload;

pub use dc_hourly::{DcSeries, DcTraces, read_dc_traces};
pub use workload::{WorkloadTrace, read_workload};

/// Formats an hour as the files and outputs write it: `2022-09-22T00:00:00Z`.
pub fn format_hour(hour: &DateTime<Utc>) -> String {
    hour.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A CSV reader over `path`, decompressing it if the name ends in `.gz` (every member of a
/// multi-member gzip file, as `cat a.gz b.gz`, pigz and bgzip write them), and refusing to
/// decompress more than [`MAX_GZIP_RATIO`] times the file's size plus [`GZIP_SLACK_BYTES`].
pub(crate) fn open(path: &Path) -> Result<csv::Reader<Box<dyn std::io::Read>>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let bytes: Box<dyn std::io::Read> = if path.extension().is_some_and(|e| e == "gz") {
        let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
        let limit = size
            .saturating_mul(MAX_GZIP_RATIO)
            .saturating_add(GZIP_SLACK_BYTES);
        let decoder = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file));
        Box::new(Capped {
            inner: decoder,
            left: limit,
            limit,
        })
    } else {
        Box::new(file)
    };
    // `\r\n` read as `\n`, so that csv counts lines right (it counts a `\r\n` record from its
    // `\r`, one line early) and still skips blank lines.
    let bytes = Box::new(CrlfAsLf {
        inner: bytes,
        out: Vec::new(),
        at: 0,
        carried_cr: false,
        done: false,
    });
    Ok(csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes))
}

/// A reader that turns every `\r\n` into `\n` (a lone `\r` is kept).
struct CrlfAsLf<R> {
    inner: R,
    out: Vec<u8>,
    at: usize,
    /// The last chunk ended in `\r`: whether it was a line end depends on the next byte.
    carried_cr: bool,
    done: bool,
}

impl<R: std::io::Read> CrlfAsLf<R> {
    /// Reads the next chunk into `out`, converted.
    fn refill(&mut self) -> std::io::Result<()> {
        let mut chunk = vec![0u8; 64 * 1024];
        let n = self.inner.read(&mut chunk)?;
        self.out.clear();
        self.at = 0;
        if n == 0 {
            self.done = true;
            if std::mem::take(&mut self.carried_cr) {
                self.out.push(b'\r');
            }
            return Ok(());
        }
        let chunk = &chunk[..n];
        if std::mem::take(&mut self.carried_cr) && chunk[0] != b'\n' {
            self.out.push(b'\r');
        }
        for (i, &b) in chunk.iter().enumerate() {
            match (b, chunk.get(i + 1)) {
                (b'\r', Some(b'\n')) => {}
                (b'\r', None) => self.carried_cr = true,
                _ => self.out.push(b),
            }
        }
        Ok(())
    }
}

impl<R: std::io::Read> std::io::Read for CrlfAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The most keys (data centers, regions, zones) a long-format trace may hold.
pub const MAX_KEYS: usize = 10_000;

/// How many times its own size a gzip trace may decompress to (plain CSV compresses 5-15 times;
/// a gzip bomb a thousand times and more).
pub const MAX_GZIP_RATIO: u64 = 100;
/// Decompressed bytes allowed on top of [`MAX_GZIP_RATIO`] (for tiny, highly regular files).
pub const GZIP_SLACK_BYTES: u64 = 64 << 20;

/// A reader that fails once more than `limit` bytes have come through.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: std::io::Read> std::io::Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self.left.checked_sub(n as u64).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                format!(
                "decompresses to more than {} MB, {MAX_GZIP_RATIO} times its size plus {} MB (a gzip bomb?)",
                self.limit >> 20,
                GZIP_SLACK_BYTES >> 20
                ),
            )
        })?;
        Ok(n)
    }
}

/// The names a trace file's time column may have: `hour_utc` (fairglb's own files and outputs)
/// or `timestamp_utc` (the physical traces).
pub const TIME_COLUMNS: [&str; 2] = ["hour_utc", "timestamp_utc"];

/// Where each of the `wanted` columns is in the header of `path`, matched by name in any order
/// (other columns are ignored); a wanted name in [`TIME_COLUMNS`] matches either of them. Fails
/// naming the file, the missing column and the columns found, or a column given twice.
pub(crate) fn find_columns(
    path: &Path,
    reader: &mut csv::Reader<Box<dyn std::io::Read>>,
    wanted: &[&str],
) -> Result<Vec<usize>> {
    let headers = reader
        .headers()
        .map_err(|e| Error::file(path, format!("unreadable header: {e}")))?;
    let found: Vec<&str> = headers.iter().collect();
    let header_error = |msg: String| Error::Row {
        path: path.to_path_buf(),
        line: 1,
        msg,
    };
    wanted
        .iter()
        .map(|name| {
            let names: &[&str] = if TIME_COLUMNS.contains(name) {
                &TIME_COLUMNS
            } else {
                std::slice::from_ref(name)
            };
            let at: Vec<usize> = (0..found.len()).filter(|&i| names.contains(&found[i])).collect();
            match at[..] {
                [i] => Ok(i),
                [] => Err(header_error(format!(
                    "no column `{}` (columns: {})",
                    names.join("` or `"),
                    listed(&found, ",")
                ))),
                _ => Err(header_error(format!(
                    "more than one column `{}`",
                    names.join("` or `")
                ))),
            }
        })
        .collect()
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
            None => Err(match e.kind() {
                csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge => {
                    Error::file(path, io.to_string())
                }
                _ => Error::file(path, format!("unreadable: {e} (truncated or corrupt?)")),
            }),
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

/// The largest magnitudes a per-kWh-of-server-energy intensity may have, by its column: far
/// beyond any real market or grid (price spikes reach about 10,000 USD/MWh, the dirtiest grids
/// about 1.2 kg/kWh, the thirstiest cooling and generation some tens of L/kWh), so only an error
/// of units or a corrupt value is refused.
pub const PLAUSIBLE_MAX: [(&str, f64); 3] = [
    ("price_usd_per_mwh", 1e6),
    ("carbon_kg_per_kwh", 10.0),
    ("water_l_per_kwh", 1000.0),
];

/// `value` if its magnitude is within [`PLAUSIBLE_MAX`] for `column` (any value for other columns).
pub fn plausible(value: f64, column: &str) -> std::result::Result<f64, String> {
    match PLAUSIBLE_MAX.iter().find(|(c, _)| *c == column) {
        Some((_, max)) if value.abs() > *max => Err(format!(
            "`{column}`: {value} is beyond the plausible magnitude of {max} (wrong units?)"
        )),
        _ => Ok(value),
    }
}
