//! Policies: one trait, one file per policy, and [`REGISTRY`], the one table that names them.
//!
//! A policy returns each hour's [`Allocation`] and never changes simulator state. Who sees the
//! future is decided by what its build function reads: hour-by-hour and online policies keep only
//! the [`Problem`]'s fleet and see one [`HourInputs`] at a time; `eglb-offline` solves the whole
//! [`Problem`] when built and replays its optimum.
//!
//! Adding a policy is one new file here (with its `mod` line) plus one [`REGISTRY`] line; see
//! `CONTRIBUTING.md`, with `min_cost.rs` as the worked template. The list of names, the CLI's
//! accepted values and help, the errors listing known names, the plot colours and the README's
//! policy table all come from the registry. A policy's own parameters are the scenario's
//! `[policy.<name>]` table, read and checked by that policy's file.

mod afhc;
mod cost_carbon;
mod cost_water_carbon;
mod drift_plus_penalty;
mod eglb_offline;
mod eglb_online;
mod min_carbon;
mod min_cost;
mod min_water;
mod nearest;
mod rhc;
mod weighted;

pub use afhc::Afhc;
pub use drift_plus_penalty::DriftPlusPenalty;
pub use eglb_online::{EglbOnline, OnlineParams};
pub use rhc::Rhc;
pub use weighted::{UnitWeights, Weighted};

use serde::de::DeserializeOwned;

use crate::error::{Error, PolicyError, Result};
use crate::model::allocation::Allocation;
use crate::model::{HourInputs, Problem};

/// Decides, hour by hour, how much of each gateway's demand each data center serves.
pub trait Policy {
    /// The policy's name, as outputs list it.
    fn name(&self) -> &str;

    /// The allocation for one hour. The simulator checks it (demand, capacity, routing).
    fn decide(&mut self, hour: &HourInputs) -> std::result::Result<Allocation, PolicyError>;

    /// Lines worth recording in the run manifest (e.g. an optimality certificate).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Builds a policy for a problem from its `[policy.<name>]` table (empty if the scenario has none).
pub type BuildFn = fn(&Problem, &toml::Table) -> std::result::Result<Box<dyn Policy>, PolicyError>;

/// Checks a `[policy.<name>]` table and returns it with every default applied.
pub type ResolveFn = fn(&toml::Table) -> std::result::Result<toml::Table, String>;

/// One registered policy.
#[derive(Clone, Copy)]
pub struct Entry {
    /// Its name on the command line and in outputs.
    pub name: &'static str,
    /// Its name in the eGLB paper (Li, Yang, Wierman, Ren, e-Energy 2024), and in quotes the
    /// authors' code's.
    pub paper: &'static str,
    /// What it does, in one line.
    pub about: &'static str,
    /// Builds it.
    pub build: BuildFn,
    /// Checks its `[policy.<name>]` table when the scenario is loaded and returns every
    /// parameter with its defaults applied, as the manifest records them (default: no parameters).
    pub resolve_params: ResolveFn,
    /// A check of the problem it needs before any policy runs (default: none).
    pub precheck: fn(&Problem) -> Result<()>,
    /// Its colour in figures, RGB (default: none, so figures draw it grey).
    pub colour: Option<[u8; 3]>,
    /// Whether it runs when no policy is named (default: yes; the slow ones that read
    /// forecasts run only when named).
    pub by_default: bool,
}

impl Entry {
    /// A policy with no parameters, no pre-run check and no colour of its own.
    pub const fn new(name: &'static str, paper: &'static str, about: &'static str, build: BuildFn) -> Entry {
        Entry {
            name,
            paper,
            about,
            build,
            resolve_params: no_params,
            precheck: |_| Ok(()),
            colour: None,
            by_default: true,
        }
    }

    /// Run only when named (`--policy`, `[sweep] policies`).
    pub const fn when_named(self) -> Entry {
        Entry {
            by_default: false,
            ..self
        }
    }

    /// With a check of its `[policy.<name>]` table that returns the resolved parameters.
    pub const fn params(self, resolve_params: ResolveFn) -> Entry {
        Entry {
            resolve_params,
            ..self
        }
    }

    /// With a pre-run check of the problem.
    pub const fn precheck(self, precheck: fn(&Problem) -> Result<()>) -> Entry {
        Entry { precheck, ..self }
    }

    /// With its colour in figures.
    pub const fn colour(self, r: u8, g: u8, b: u8) -> Entry {
        Entry {
            colour: Some([r, g, b]),
            ..self
        }
    }
}

/// Every built-in policy, in the order outputs list them. Colours: Okabe and Ito's
/// colour-blind-safe palette.
#[rustfmt::skip]
pub const REGISTRY: &[Entry] = &[
    Entry::new("nearest", "GLB-Nearest", "each gateway to its nearest data center", nearest::build).precheck(nearest::precheck).colour(0, 0, 0),
    Entry::new("min-cost", "GLB-Energy (\"Min Price\")", "lowest energy cost, hour by hour", min_cost::build).colour(230, 159, 0),
    Entry::new("min-carbon", "GLB-Carbon", "lowest total carbon, hour by hour", min_carbon::build).colour(0, 158, 115),
    Entry::new("min-water", "GLB-Water", "lowest total water, hour by hour", min_water::build).colour(86, 180, 233),
    Entry::new("cost-carbon", "GLB-C2 (\"Price and Carbon\")", "cost + (4 x carbon weight / N) per t of total carbon", cost_carbon::build).colour(204, 121, 167),
    Entry::new("cost-water-carbon", "GLB-C1 (\"Total Cost\")", "cost + (5 x water weight / N) per m3 + (2 x carbon weight / N) per t", cost_water_carbon::build).colour(240, 228, 66),
    Entry::new("eglb-offline", "eGLB-Off (\"Equitable\")", "the min-max LP over the whole horizon (the optimum)", eglb_offline::build).colour(0, 114, 178),
    Entry::new("eglb-online", "eGLB", "dual mirror descent, hour by hour, no future information", eglb_online::build).params(eglb_online::resolve_params).colour(213, 94, 0),
    Entry::new("drift-plus-penalty", "none (Neely 2010)", "Lyapunov queues of each region's footprint above the fleet's mean, hour by hour", drift_plus_penalty::build).params(drift_plus_penalty::resolve_params).colour(170, 51, 119),
    Entry::new("rhc", "none (Lin et al. 2012)", "receding horizon: the min-max LP over a window of forecasts, first hour applied (run when named)", rhc::build).params(rhc::resolve_params).colour(51, 187, 238).when_named(),
    Entry::new("afhc", "none (Lin et al. 2012)", "the average of window + 1 fixed-horizon controllers' plans (run when named)", afhc::build).params(afhc::resolve_params).colour(153, 153, 51).when_named(),
];

/// Every registered name, in registry order.
pub fn names() -> impl Iterator<Item = &'static str> {
    REGISTRY.iter().map(|e| e.name)
}

/// The entry called `name`, if registered.
pub fn find(name: &str) -> Option<&'static Entry> {
    REGISTRY.iter().find(|e| e.name == name)
}

/// The entry called `name`, or an error listing the known names.
pub fn entry(name: &str) -> Result<&'static Entry> {
    find(name).ok_or_else(|| Error::UnknownPolicy {
        name: name.to_string(),
        known: crate::error::listed(names(), ", "),
    })
}

/// The names of the policies that run when none is named, in registry order.
pub fn defaults() -> impl Iterator<Item = &'static str> {
    REGISTRY.iter().filter(|e| e.by_default).map(|e| e.name)
}

/// The registered policies among `requested`, in registry order; the default ones if none is
/// named. Fails on the first unknown name.
pub fn select(requested: &[String]) -> Result<Vec<&'static str>> {
    for name in requested {
        entry(name)?;
    }
    if requested.is_empty() {
        return Ok(defaults().collect());
    }
    Ok(names().filter(|n| requested.iter().any(|r| r == n)).collect())
}

/// Runs the pre-run checks of the policies `names` on `problem`.
pub fn precheck(names: &[&str], problem: &Problem) -> Result<()> {
    for name in names {
        (entry(name)?.precheck)(problem)?;
    }
    Ok(())
}

/// Builds the policy called `name` for `problem` with its parameters `params`.
pub fn build(name: &str, problem: &Problem, params: &toml::Table) -> Result<Box<dyn Policy>> {
    (entry(name)?.build)(problem, params).map_err(|e| Error::policy(name, None, e))
}

/// Reads a policy's parameter table into its own type (unknown keys are the type's to reject).
pub fn parse_params<T: DeserializeOwned>(table: &toml::Table) -> std::result::Result<T, String> {
    toml::Value::Table(table.clone())
        .try_into()
        .map_err(|e: toml::de::Error| e.to_string().trim().replace('\n', " "))
}

/// The policy whose parameter table a dotted scenario key sets: `<name>` of `policy.<name>.*`,
/// and `eglb-online` for its old spelling `online.*`; `None` for any other key.
pub fn table_of(key: &str) -> Option<&str> {
    match key.trim().split('.').collect::<Vec<_>>()[..] {
        ["policy", name, ..] => Some(name.trim_matches('"')),
        ["online", ..] => Some("eglb-online"),
        _ => None,
    }
}

/// A policy's parameters, with its defaults applied, as a table (for the manifest).
pub fn params_table<T: serde::Serialize>(params: &T) -> std::result::Result<toml::Table, String> {
    toml::Table::try_from(params).map_err(|e| e.to_string())
}

/// The parameter check of a policy that takes none.
pub fn no_params(table: &toml::Table) -> std::result::Result<toml::Table, String> {
    match table.keys().next() {
        None => Ok(toml::Table::new()),
        Some(key) => Err(format!("unknown key `{key}`: this policy takes no parameters")),
    }
}
