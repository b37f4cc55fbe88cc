//! Reading result CSVs back: a header and string rows, with typed access whose errors name the
//! file, line and column. Plots read results only through this, so they work on result folders
//! copied from anywhere.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One CSV file, fully read.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file.
    pub path: PathBuf,
    headers: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// Reads `path` and checks it has `required` columns.
    pub fn read(path: &Path, required: &[&str]) -> Result<Table> {
        let mut reader = csv::Reader::from_path(path).map_err(|e| match e.kind() {
            csv::ErrorKind::Io(io) => Error::file(path, io.to_string()),
            _ => Error::file(path, e.to_string()),
        })?;
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| Error::file(path, format!("unreadable header: {e}")))?
            .iter()
            .map(String::from)
            .collect();
        if let Some(missing) = required.iter().find(|c| !headers.iter().any(|h| h == *c)) {
            return Err(Error::Row {
                path: path.to_path_buf(),
                line: 1,
                msg: format!(
                    "no column `{missing}` (columns: {})",
                    crate::error::listed(&headers, ",")
                ),
            });
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| Error::Row {
                path: path.to_path_buf(),
                line: e.position().map_or(0, |p| p.line()),
                msg: format!("malformed row: {e}"),
            })?;
            rows.push((record.position().map_or(0, |p| p.line()), record));
        }
        if rows.is_empty() {
            return Err(Error::file(path, "no data rows"));
        }
        Ok(Table {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// Reads `dir/name` if it exists.
    pub fn read_optional(dir: &Path, name: &str, required: &[&str]) -> Result<Option<Table>> {
        let path = dir.join(name);
        if path.exists() {
            Table::read(&path, required).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows (never, after `read`).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn column(&self, name: &str) -> usize {
        self.headers
            .iter()
            .position(|h| h == name)
            .expect("required columns are checked on read")
    }

    /// The file's line of row `row`.
    pub fn line(&self, row: usize) -> u64 {
        self.rows[row].0
    }

    /// The text in row `row`, column `name`.
    pub fn text(&self, row: usize, name: &str) -> &str {
        &self.rows[row].1[self.column(name)]
    }

    /// The number in row `row`, column `name` (finite).
    pub fn number(&self, row: usize, name: &str) -> Result<f64> {
        let text = self.text(row, name);
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| Error::Row {
                path: self.path.clone(),
                line: self.rows[row].0,
                msg: format!("`{name}`: `{text}` is not a finite number"),
            })
    }

    /// Distinct values of column `name`, in order of first appearance.
    pub fn distinct(&self, name: &str) -> Vec<String> {
        self.distinct_in(0..self.len(), name)
    }

    /// The distinct values of column `name` on `rows`, in order of first appearance.
    pub fn distinct_in(&self, rows: impl IntoIterator<Item = usize>, name: &str) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        rows.into_iter()
            .map(|row| self.text(row, name))
            .filter(|value| seen.insert(*value))
            .map(String::from)
            .collect()
    }
}

/// Each of `values`' index in it.
pub fn index_of(values: &[String]) -> std::collections::HashMap<&str, usize> {
    values.iter().enumerate().map(|(i, v)| (v.as_str(), i)).collect()
}
