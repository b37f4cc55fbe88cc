//! Errors the library reports: each names the file, line, field, hour or policy it is about.
//!
//! [`Error`] is what every public entry point returns. Below it, [`PolicyError`] is what a policy's
//! `decide` (or build) returns, [`SolveError`] what the LP solvers and the offline algorithm
//! return, and [`AllocationError`] what an allocation that breaks demand, capacity or routing
//! says. The `fairglb` binary exits 0 on success and 2 on any [`Error`].

use std::path::PathBuf;

use thiserror::Error;

/// Everything that can go wrong between reading a scenario and writing results.
#[derive(Debug, Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {err}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        err: std::io::Error,
    },
    /// One row of a CSV file is malformed.
    #[error("{}:{line}: {msg}", path.display())]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line number in the file.
        line: u64,
        /// What was expected.
        msg: String,
    },
    /// A file is well formed row by row but wrong as a whole (header, names, coverage).
    #[error("{}: {msg}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What was expected.
        msg: String,
    },
    /// A `--set KEY=VALUE` override names no scenario key or gives a value of the wrong type.
    #[error("--set {key}: {msg}")]
    Override {
        /// The dotted key as given.
        key: String,
        /// What was expected.
        msg: String,
    },
    /// A command-line option has a value that cannot be used.
    #[error("{name}: {msg}")]
    BadOption {
        /// The option, as the command line spells it (`--threads`).
        name: String,
        /// What is wrong with its value.
        msg: String,
    },
    /// A policy name that the registry does not know.
    #[error("unknown policy `{name}`; known policies: {known}")]
    UnknownPolicy {
        /// The name as given.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// Some hours' demand cannot be served by the capacity reachable under the routing.
    #[error("infeasible scenario: {0}")]
    Infeasible(String),
    /// A policy failed to build or to decide an hour.
    #[error("policy {policy}: {}{source}", hour.as_ref().map_or(String::new(), |h| format!("hour {h}: ")))]
    Policy {
        /// The policy's name.
        policy: String,
        /// The hour it failed in (`2022-09-22T00:00:00Z`), if it failed deciding one.
        hour: Option<String>,
        /// What went wrong.
        source: Box<PolicyError>,
    },
    /// A run's summary metric is not finite (an absurd weight or demand scale), so nothing is
    /// written.
    #[error(
        "policy {policy}: `{metric}` = {value} is not finite (are the equity weights or the demand scale extreme?)"
    )]
    NotFinite {
        /// The policy whose summary overflowed.
        policy: String,
        /// The `summary.csv` column.
        metric: String,
        /// Its value as it would be written.
        value: String,
    },
    /// An output could not be rendered in memory (before anything is written).
    #[error("cannot render {what}: {msg}")]
    Render {
        /// What was being rendered, e.g. `regions.csv`.
        what: String,
        /// What the encoder said.
        msg: String,
    },
}

/// Result with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// How many items an error message lists at most.
pub const LISTED_MAX: usize = 10;

/// At most [`LISTED_MAX`] of `items` joined by `separator`, then how many more there are, so a
/// message stays short whatever the size of the input.
pub fn listed<T: std::fmt::Display>(items: impl IntoIterator<Item = T>, separator: &str) -> String {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for item in items {
        match shown.len() < LISTED_MAX {
            true => shown.push(item.to_string()),
            false => more += 1,
        }
    }
    match more {
        0 => shown.join(separator),
        _ => format!("{}, and {more} more", shown.join(separator)),
    }
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, err: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            err,
        }
    }

    /// A whole-file error on `path`.
    pub fn file(path: impl Into<PathBuf>, msg: impl Into<String>) -> Self {
        Error::File {
            path: path.into(),
            msg: msg.into(),
        }
    }

    /// A failure of policy `policy`, in hour `hour` if given.
    pub fn policy(policy: &str, hour: Option<&str>, source: impl Into<PolicyError>) -> Self {
        Error::Policy {
            policy: policy.to_string(),
            hour: hour.map(String::from),
            source: Box::new(source.into()),
        }
    }
}

/// Why a policy could not decide (or could not be built).
#[derive(Debug, Error)]
pub enum PolicyError {
    /// Its allocation breaks demand, capacity or routing.
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    /// A solver it uses failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// Anything else, in the policy's own words (for policies defined outside the crate).
    #[error("{0}")]
    Other(String),
}

/// Why an LP solve or the offline algorithm failed.
#[derive(Debug, Error)]
pub enum SolveError {
    /// A solver backend gave up.
    #[error("{solver}: {reason}")]
    Backend {
        /// Which LP: `hourly LP`, `offline LP (clarabel)`, `offline LP (microlp)`, `dual master QP
        /// (clarabel)`.
        solver: &'static str,
        /// What the backend said.
        reason: String,
    },
    /// The cheapest allocation of an hour does not exist (demand exceeds reachable capacity).
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    /// The offline optimum could not be certified within the solver's budget (docs/model.md §4.3).
    #[error(
        "the offline optimum was not certified to a relative gap of {target_gap:e}: the best plan \
         (column generation) came within {closest_gap}, and the whole LP's {variables} flow \
         variables are beyond the {budget} this solver attempts in one piece{tried}"
    )]
    Uncertified {
        /// The relative gap the certificate asks for.
        target_gap: f64,
        /// How close the best plan came (`unknown` if column generation failed).
        closest_gap: String,
        /// Flow variables of the whole LP.
        variables: usize,
        /// The most flow variables solved in one piece.
        budget: usize,
        /// What failed on the way, if anything (`; ...`).
        tried: String,
    },
    /// A faster path's plan was not certified (a slower path follows).
    #[error("{method} stopped at a relative gap of {gap:.1e}, not {target_gap:e}")]
    Unconverged {
        /// The path.
        method: &'static str,
        /// The relative gap it reached.
        gap: f64,
        /// The relative gap the certificate asks for.
        target_gap: f64,
    },
    /// A solution, repaired to exact feasibility, still breaks a constraint in one hour.
    #[error("hour {hour}: repaired allocation: {source}")]
    Repair {
        /// The hour (`2022-09-22T00:00:00Z`).
        hour: String,
        /// The broken constraint.
        source: AllocationError,
    },
}

/// What an allocation violates.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AllocationError {
    /// The flow matrix has the wrong size.
    #[error("allocation has {found} flows, expected {expected}")]
    Shape {
        /// Flows given.
        found: usize,
        /// Data centers x gateways.
        expected: usize,
    },
    /// A gateway's demand is not served exactly.
    #[error("gateway `{gateway}` served {served_mw} MW of {demand_mw} MW")]
    Unserved {
        /// The gateway.
        gateway: String,
        /// What the allocation serves, MW.
        served_mw: f64,
        /// Its demand, MW.
        demand_mw: f64,
    },
    /// A negative flow, or a flow on a pair the routing forbids.
    #[error("flow {flow_mw} MW from gateway `{gateway}` to dc `{dc}` is not allowed")]
    NotAllowed {
        /// The gateway.
        gateway: String,
        /// The data center.
        dc: String,
        /// The flow, MW.
        flow_mw: f64,
    },
    /// A data center loaded beyond its capacity.
    #[error("dc `{dc}` load {load_mw} MW exceeds its capacity {capacity_mw} MW")]
    OverCapacity {
        /// The data center.
        dc: String,
        /// Its load, MW.
        load_mw: f64,
        /// Its capacity, MW.
        capacity_mw: f64,
    },
    /// The demand exceeds the capacity the routing lets it reach.
    #[error("demand exceeds the capacity reachable under the routing by {short_mw} MW")]
    Short {
        /// Demand left unserved, MW.
        short_mw: f64,
    },
}

#[cfg(test)]
mod tests {
    use super::listed;

    #[test]
    fn lists_at_most_ten_and_counts_the_rest() {
        assert_eq!(listed(["a", "b"], ", "), "a, b");
        let many: Vec<usize> = (0..25).collect();
        assert_eq!(listed(&many, ","), "0,1,2,3,4,5,6,7,8,9, and 15 more");
        assert_eq!(listed(Vec::<String>::new(), ", "), "");
    }
}
