//! Scenario files: TOML, read in layers and validated once into a typed [`Scenario`].
//!
//! [`raw`] mirrors the file exactly (unknown keys are rejected); [`layers`] applies
//! `base = "other.toml"` and `--set KEY=VALUE` overrides; [`validate`] checks everything serde
//! cannot and resolves every default (per-data-center cooling, PUE, fossil fuel; trace paths
//! against the scenario's folder), so nothing after this module re-checks a scenario. This module
//! reads no hourly trace (joining a scenario with its traces is [`crate::build`]'s job), only the
//! `[latency] matrix`, which decides the routing.

pub mod layers;
pub mod raw;
mod validate;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use layers::{MAX_KEY_PARTS, parse_value};
pub use raw::{AnomalyRepair, CarbonSource, EmbodiedSpec, SweepSpec};
pub use validate::{MAX_PAIRS, MAX_SITES};

use crate::error::Result;
use crate::model::Fleet;
use crate::model::geo::Location;
use crate::physics::cooling::Cooling;
use crate::physics::pue::Pue;
use crate::traces::physical::PhysicalPaths;

/// A scenario file as read, before overrides: parse once, apply many sets of overrides.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    /// The file.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex (with `base`, of the bytes followed by the base's hash).
    pub sha256: String,
    raw: raw::RawScenario,
    tree: toml::Value,
}

/// Where a scenario came from: its file, the file's hash and the overrides applied.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file it came from.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex (with `base`, of the bytes followed by the base's hash).
    pub sha256: String,
    /// The overrides applied, as given (`KEY=VALUE`).
    pub overrides: Vec<String>,
    /// The scenario as run: the file with its `base` merged in and the overrides applied, every
    /// trace path absolute. Read back by [`Scenario::from_effective`] (`fairglb run --from`).
    pub effective: toml::Table,
}

/// A validated scenario: every name resolved to an index, every default applied, every path
/// resolved.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Where it came from.
    pub source: Source,
    /// Short name; results go to `results/<name>/` by default.
    pub name: String,
    /// One line saying what the scenario is.
    pub description: String,
    /// Seed of every randomised part of the scenario (recorded in the manifest).
    pub seed: u64,
    /// Simulate only this many hours (default: all from the start).
    pub horizon_hours: Option<usize>,
    /// The first hour to simulate (default: the traces' first).
    pub horizon_start: Option<chrono::DateTime<chrono::Utc>>,
    /// Who serves whom and how much, and the equity weights.
    pub fleet: Fleet,
    /// Per data center, its coordinates, if given.
    pub dc_locations: Vec<Option<Location>>,
    /// Per gateway, its coordinates, if given.
    pub gateway_locations: Vec<Option<Location>>,
    /// Each (data center, gateway) pair's round-trip time, ms, data-center major: measured
    /// (`[latency] matrix`; `NaN` where not measured) or estimated from distance with
    /// `rtt_model`; `None` without a matrix or coordinates on every site.
    pub pair_rtt_ms: Option<Vec<f64>>,
    /// How round-trip times are estimated from distance.
    pub rtt_model: crate::model::geo::RttModel,
    /// The `[latency] matrix` file, if given.
    pub latency_matrix: Option<PathBuf>,
    /// Where the hourly intensities come from.
    pub intensities: Intensities,
    /// Embodied carbon per kWh of server energy, kg (0 without `[physics.embodied]`).
    pub embodied_kg_per_kwh: f64,
    /// How per-gateway demand is made.
    pub demand: Demand,
    /// Each policy's parameter table, `[policy.<name>]` (and `[online]` as `eglb-online`'s).
    pub policy_params: BTreeMap<String, toml::Table>,
    /// What online policies may know of the hours ahead, and the seed of its noise.
    pub forecast: crate::model::forecast::ForecastSpec,
    /// The `[sweep]` table, for `fairglb sweep`.
    pub sweep: SweepSpec,
}

/// Where a scenario's hourly intensities come from.
#[derive(Debug, Clone)]
pub enum Intensities {
    /// Read as they are from a per-data-center file (as the paper's data).
    Precomputed {
        /// The `hour_utc,dc,price_usd_per_mwh,carbon_kg_per_kwh,water_l_per_kwh` file.
        dc_hourly: PathBuf,
    },
    /// Derived from weather, grid and market traces with the footprint model.
    Physical(PhysicalSpec),
}

/// A physical scenario's traces and every data center's resolved physics.
#[derive(Debug, Clone)]
pub struct PhysicalSpec {
    /// The trace files.
    pub files: PhysicalPaths,
    /// USD per unit of each price currency other than USD.
    pub usd_per: BTreeMap<String, f64>,
    /// What to do with fuel-mix anomalies.
    pub anomalies: AnomalyRepair,
    /// Per data center, in scenario order.
    pub sites: Vec<SitePhysics>,
}

/// One data center's physics, with the scenario's defaults applied.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SitePhysics {
    /// Its key in the weather and carbon traces.
    pub region: String,
    /// Its key in the price trace: `region`, unless the scenario borrows a neighbour's market.
    pub price_region: String,
    /// Its cooling.
    pub cooling: Cooling,
    /// Its PUE.
    pub pue: Pue,
    /// Where its off-site water comes from.
    pub offsite_water: GridMix,
    /// Where its grid carbon comes from.
    pub carbon: SiteCarbon,
}

/// The generation mix a data center's off-site water is computed from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum GridMix {
    /// The hourly fuel mix of a balancing authority (`traces.fuel_mix`).
    Hourly {
        /// The balancing authority.
        ba: String,
    },
    /// A zone's annual generation shares (`traces.mix_shares`).
    Annual {
        /// The zone.
        zone: String,
        /// The fuel its fossil share counts as.
        fossil_fuel: String,
    },
}

/// Where a data center's grid carbon comes from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum SiteCarbon {
    /// A column of the carbon trace, g CO2e per kWh, for the data center's region.
    Trace {
        /// `ci_direct_gco2eq_per_kwh` or `ci_lca_gco2eq_per_kwh`.
        column: &'static str,
    },
    /// The hourly fuel mix of a balancing authority with the per-fuel factors.
    FuelMix {
        /// The balancing authority.
        ba: String,
    },
}

/// How per-gateway demand is made from the workload trace.
#[derive(Debug, Clone)]
pub struct Demand {
    /// The workload file.
    pub workload: PathBuf,
    /// Its column.
    pub column: String,
    /// Multiplies every gateway's demand.
    pub scale: f64,
    /// The model.
    pub model: DemandModel,
}

/// The demand models.
#[derive(Debug, Clone)]
pub enum DemandModel {
    /// Gateway demand, MW = `scale_mw[gateway] x scale x trace / normaliser`.
    Trace {
        /// The trace value that means `scale_mw` of demand.
        normaliser: f64,
        /// Per gateway, its demand when the trace equals the normaliser, MW.
        scale_mw: Vec<f64>,
    },
    /// A seeded series per gateway with the trace's daily and weekly shape in its local time.
    Synthetic {
        /// The UTC offset, hours, at which the trace was recorded.
        trace_utc_offset_h: i64,
        /// Per gateway: its mean demand, MW, and its users' local time.
        gateways: Vec<(f64, crate::workload::LocalClock)>,
    },
}

/// Each (data center, gateway) pair's great-circle distance, km, data-center major, when every
/// site has coordinates.
fn pair_distances_km(dcs: &[Option<Location>], gateways: &[Option<Location>]) -> Option<Vec<f64>> {
    let dcs: Option<Vec<_>> = dcs.iter().copied().collect();
    let gateways: Option<Vec<_>> = gateways.iter().copied().collect();
    let (dcs, gateways) = (dcs?, gateways?);
    Some(
        dcs.iter()
            .flat_map(|d| gateways.iter().map(move |g| d.distance_km(g)))
            .collect(),
    )
}

impl Scenario {
    /// Reads `path`, applies `overrides` (`KEY=VALUE`, dotted keys) in order, and validates.
    pub fn load(path: &std::path::Path, overrides: &[String]) -> Result<Scenario> {
        ScenarioFile::read(path)?.with_overrides(overrides)
    }

    /// The scenario a run's manifest recorded as `effective` (see [`Source::effective`]), with
    /// that run's `source` (file, hash and overrides); `origin` names where it was read for
    /// errors.
    pub fn from_effective(
        effective: toml::Table,
        source: Source,
        origin: &std::path::Path,
    ) -> Result<Scenario> {
        ScenarioFile::from_tree(origin, effective)?.validated(source)
    }

    /// The parameter table of policy `name` (empty if the scenario gives none).
    pub fn params(&self, name: &str) -> &toml::Table {
        static EMPTY: std::sync::OnceLock<toml::Table> = std::sync::OnceLock::new();
        self.policy_params
            .get(name)
            .unwrap_or_else(|| EMPTY.get_or_init(toml::Table::new))
    }

    /// Each (data center, gateway) pair's great-circle distance, km, data-center major, when
    /// every site has coordinates.
    pub fn pair_distances_km(&self) -> Option<Vec<f64>> {
        pair_distances_km(&self.dc_locations, &self.gateway_locations)
    }

    /// The parameters of policy `name` with its defaults applied (empty for an unknown policy:
    /// the scenario's tables were checked when it was loaded).
    pub fn resolved_params(&self, name: &str) -> toml::Table {
        crate::policy::find(name)
            .and_then(|entry| (entry.resolve_params)(self.params(name)).ok())
            .unwrap_or_default()
    }

    /// Every trace file the scenario reads.
    pub fn trace_paths(&self) -> Vec<PathBuf> {
        let mut paths = vec![self.demand.workload.clone()];
        paths.extend(self.latency_matrix.clone());
        match &self.intensities {
            Intensities::Precomputed { dc_hourly } => paths.push(dc_hourly.clone()),
            Intensities::Physical(spec) => paths.extend(spec.files.paths()),
        }
        paths
    }
}
