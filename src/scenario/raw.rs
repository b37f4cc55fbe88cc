//! The scenario file as written: serde types that mirror the TOML exactly (unknown keys are
//! rejected), with their defaults. Nothing here is checked beyond types; `validate` turns a
//! [`RawScenario`] into a [`super::Scenario`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::model::EquityWeights;
use crate::model::routing::RoutingKind;
use crate::physics::cooling::Cooling;
use crate::physics::pue::Pue;

/// The scenario file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Short name; results go to `results/<name>/` by default.
    pub name: String,
    /// One line saying what the scenario is.
    #[serde(default)]
    pub description: String,
    /// Seed recorded in the manifest (and used by any randomised part of a scenario).
    #[serde(default)]
    pub seed: u64,
    /// Which (data center, gateway) pairs may carry load.
    #[serde(default)]
    pub routing: RoutingKind,
    /// Which hours of the traces to simulate.
    #[serde(default)]
    pub horizon: HorizonSpec,
    /// Weights of the worst-region footprint terms.
    pub equity: EquityWeights,
    /// Trace files, relative to the scenario file.
    pub traces: TraceFiles,
    /// How the workload trace becomes per-gateway demand.
    pub workload: WorkloadSpec,
    /// The footprint model of physical traces, and embodied carbon.
    #[serde(default)]
    pub physics: PhysicsSpec,
    /// What online policies may know of the hours ahead.
    #[serde(default)]
    pub forecast: ForecastTable,
    /// The old spelling of `[policy.eglb-online]`.
    #[serde(default)]
    pub online: Option<toml::Table>,
    /// Per-policy parameter tables, `[policy.<name>]`, each read by that policy's file.
    #[serde(default)]
    pub policy: BTreeMap<String, toml::Table>,
    /// The data centers.
    #[serde(rename = "dc")]
    pub dcs: Vec<DcSpec>,
    /// The gateways (user regions).
    #[serde(rename = "gateway")]
    pub gateways: Vec<GatewaySpec>,
    /// For `routing = "latency"`: the distance or round-trip limit.
    #[serde(default)]
    pub latency: Option<LatencySpec>,
    /// For `routing = "partial"`: data-center name -> the gateways it may serve.
    #[serde(default)]
    pub partial_routing: BTreeMap<String, Vec<String>>,
    /// Parameter sweep for `fairglb sweep` (ignored by `fairglb run`).
    #[serde(default)]
    pub sweep: SweepSpec,
}

/// The `[latency]` table: where round-trip times come from, and for `routing = "latency"` the
/// limit within which a gateway may use a data center (give one of `limit_km`, `limit_rtt_ms`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencySpec {
    /// Great-circle distance limit, km.
    pub limit_km: Option<f64>,
    /// Round-trip time limit, ms: measured (`matrix`) or estimated as `2 x route_stretch x
    /// distance / fibre_km_per_ms`.
    pub limit_rtt_ms: Option<f64>,
    /// Measured round-trip times: `gateway,dc,rtt_ms` by site name, or a square matrix keyed by
    /// zone (`origin,<zone>,...`, sites keyed by `zones`); relative to the scenario file.
    pub matrix: Option<String>,
    /// For a zone-keyed matrix: each site's zone, by site name (a data center and a gateway of
    /// the same name share it).
    #[serde(default)]
    pub zones: BTreeMap<String, String>,
    /// How much longer fibre routes are than the great circle (default 1.5).
    #[serde(default = "default_route_stretch")]
    pub route_stretch: f64,
    /// Signal speed in fibre, km per ms (default 200, about 2/3 of c).
    #[serde(default = "default_fibre_km_per_ms")]
    pub fibre_km_per_ms: f64,
}

fn default_route_stretch() -> f64 {
    crate::model::geo::RttModel::default().route_stretch
}

fn default_fibre_km_per_ms() -> f64 {
    crate::model::geo::RttModel::default().fibre_km_per_ms
}

/// The `[forecast]` table: how online policies see the hours ahead (`fairglb::model::forecast`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastTable {
    /// `perfect` (default), `persistence` or `noisy`.
    #[serde(default)]
    pub model: crate::model::forecast::ForecastModel,
    /// For `noisy`: the standard deviation of the log error an hour ahead (default 0).
    #[serde(default)]
    pub sigma: f64,
}

/// The `[sweep]` table: which policies a sweep runs and over which axes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// Policies to run in every sweep run (default: all).
    #[serde(default)]
    pub policies: Vec<String>,
    /// `"dotted.key" = [values]` or `{ from, to, steps, log }`, in file order; see `crate::sweep`.
    #[serde(default)]
    pub axes: toml::Table,
}

/// Which hours to simulate.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HorizonSpec {
    /// The first hour to simulate, RFC 3339 (`2022-07-01T00:00:00Z`; default: the traces' first).
    pub start: Option<String>,
    /// Simulate only `hours` hours from `start` (default: all that follow).
    pub hours: Option<usize>,
}

/// Trace file paths. Give `dc_hourly` (precomputed intensities, as the paper's data) or the
/// physical traces `weather`, `carbon`, `prices` and `fuel_factors` (plus `fuel_mix` and/or
/// `mix_shares` for off-site water), from which the intensities are derived (`build::intensity`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceFiles {
    /// Per-data-center hourly price, carbon and water intensities.
    pub dc_hourly: Option<PathBuf>,
    /// Hourly workload: the demand trace, or the calibration trace of a synthetic workload.
    pub workload: PathBuf,
    /// Hourly weather per region (dry bulb, humidity, elevation).
    pub weather: Option<PathBuf>,
    /// Hourly grid carbon intensity per zone.
    pub carbon: Option<PathBuf>,
    /// Hourly electricity prices per region, native currency.
    pub prices: Option<PathBuf>,
    /// Hourly generation by fuel per balancing authority (hourly off-site water).
    pub fuel_mix: Option<PathBuf>,
    /// Annual generation shares per zone (annual off-site water where no hourly mix exists).
    pub mix_shares: Option<PathBuf>,
    /// Per-fuel water and carbon factors.
    pub fuel_factors: Option<PathBuf>,
}

/// How per-gateway demand is made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkloadModel {
    /// Gateway demand = `demand_scale_mw x trace[t] / normaliser` (the paper's convention).
    #[default]
    Trace,
    /// Seeded synthetic demand per gateway ([`crate::workload`]), with the daily and weekly shape
    /// of the trace in the gateway's local time and mean `mean_mw`.
    Synthetic,
}

/// How the workload trace becomes per-gateway demand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadSpec {
    /// `trace` (default) or `synthetic`.
    #[serde(default)]
    pub model: WorkloadModel,
    /// The workload file's column to use.
    pub column: String,
    /// `trace`: the trace value that corresponds to `demand_scale_mw` of demand (e.g. the peak,
    /// 2,708 W).
    pub normaliser: Option<f64>,
    /// `synthetic`: the UTC offset, hours, at which the trace was recorded (default -5, BLOOM).
    #[serde(default = "default_trace_utc_offset_h")]
    pub trace_utc_offset_h: i64,
    /// Multiplies every gateway's demand (a load-scale knob for sweeps). Default 1.
    #[serde(default = "default_one")]
    pub scale: f64,
}

fn default_trace_utc_offset_h() -> i64 {
    crate::workload::BLOOM_UTC_OFFSET_H
}

/// Which grid carbon intensity a physical scenario uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CarbonSource {
    /// The carbon trace's direct (operational, combustion) intensity.
    #[default]
    Direct,
    /// The carbon trace's life-cycle intensity.
    LifeCycle,
    /// From the hourly fuel mix and per-fuel factors (needs `grid_ba` on every data center).
    FuelMix,
}

/// What a physical scenario does with the fuel-mix hours `fairglb traces check` flags as
/// anomalous (`fairglb::traces::anomalies`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnomalyRepair {
    /// Use them as they are; list them in the manifest.
    #[default]
    Flag,
    /// Repair them by linear interpolation in time; list them in the manifest as repaired.
    Interpolate,
}

/// The `[physics]` table: how physical traces become intensities (physical scenarios only,
/// except `embodied`, which any scenario may use).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhysicsSpec {
    /// Grid carbon intensity: `direct` (default), `life-cycle` or `fuel-mix`.
    #[serde(default)]
    pub carbon: CarbonSource,
    /// Fuel-mix anomalies: `flag` (default) or `interpolate`.
    #[serde(default)]
    pub anomalies: AnomalyRepair,
    /// Cooling of data centers that name none.
    pub cooling: Option<Cooling>,
    /// PUE of data centers that name none.
    pub pue: Option<Pue>,
    /// The fuel an annual "fossil" share is counted as, for data centers that name none (one of
    /// the fuel names of `fuel_factors`). Default `natural gas`.
    pub fossil_fuel: Option<String>,
    /// USD per unit of each price currency other than USD, e.g. `{ EUR = 1.07764 }`.
    #[serde(default)]
    pub usd_per: BTreeMap<String, f64>,
    /// Embodied (manufacturing) carbon of the servers, amortised per busy server-hour.
    pub embodied: Option<EmbodiedSpec>,
}

/// Embodied carbon: `server_kg / (lifetime_years x 8,760 h x utilisation)` per busy server-hour,
/// with `1000 / server_kw` servers busy per MW of load.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbodiedSpec {
    /// Manufacturing carbon of one server, kg CO2e (2,000 for a GPU server in "Sustainable AI").
    pub server_kg: f64,
    /// Service life, years.
    pub lifetime_years: f64,
    /// Busy share of the service life (0 < u <= 1).
    pub utilisation: f64,
    /// Power of one busy server, kW.
    pub server_kw: f64,
}

/// One data center.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DcSpec {
    /// Name as in the trace file's `dc` column.
    pub name: String,
    /// Server (IT) power capacity, MW.
    pub capacity_mw: f64,
    /// Latitude, degrees north (needed for `routing = "latency"`).
    pub lat: Option<f64>,
    /// Longitude, degrees east (needed for `routing = "latency"`).
    pub lon: Option<f64>,
    /// How heavily this region's water counts in the equity term (e.g. a water-stress index):
    /// the term is the max over regions of `water_vulnerability x water`. Default 1.
    #[serde(default = "default_one")]
    pub water_vulnerability: f64,
    /// The same for carbon. Default 1.
    #[serde(default = "default_one")]
    pub carbon_vulnerability: f64,
    /// Physical traces: the region key of its weather and carbon rows (and price rows, unless
    /// `price_region` names another).
    pub region: Option<String>,
    /// Physical traces: the balancing authority of its hourly fuel mix (else annual shares).
    pub grid_ba: Option<String>,
    /// Physical traces: its zone in the annual mix shares (default: `region`).
    pub mix_zone: Option<String>,
    /// Physical traces: its key in the price trace (default: `region`), to borrow a neighbour's
    /// market where its own has no price series.
    pub price_region: Option<String>,
    /// Physical traces: its cooling (default: `physics.cooling`).
    pub cooling: Option<Cooling>,
    /// Physical traces: its PUE (default: `physics.pue`).
    pub pue: Option<Pue>,
    /// Physical traces: the fuel its annual fossil share counts as (default: `physics.fossil_fuel`).
    pub fossil_fuel: Option<String>,
}

fn default_one() -> f64 {
    1.0
}

/// One gateway.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewaySpec {
    /// Name.
    pub name: String,
    /// The data center that serves it under `routing = "nearest"` and in the `nearest` policy.
    pub nearest_dc: String,
    /// `trace` workload: demand (MW) when the workload trace equals its normaliser.
    pub demand_scale_mw: Option<f64>,
    /// `synthetic` workload: mean demand, MW.
    pub mean_mw: Option<f64>,
    /// `synthetic` workload: the gateway's UTC offset, hours (its users' local time, all year).
    pub utc_offset_h: Option<i64>,
    /// `synthetic` workload, instead of `utc_offset_h`: its users' IANA time zone
    /// (`America/New_York`), whose local hours follow daylight saving.
    pub timezone: Option<String>,
    /// Latitude, degrees north (needed for `routing = "latency"`).
    pub lat: Option<f64>,
    /// Longitude, degrees east (needed for `routing = "latency"`).
    pub lon: Option<f64>,
}
