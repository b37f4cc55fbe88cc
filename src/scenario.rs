//! Scenario files: TOML, read in two layers.
//!
//! [`RawScenario`] mirrors the file exactly (unknown keys are rejected); [`Scenario::load`] applies
//! `--set KEY=VALUE` overrides by dotted path, validates once, and resolves trace paths against the
//! scenario file's folder. Nothing after this module needs to re-check the scenario.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::physics::cooling::Cooling;
use crate::physics::pue::Pue;
use crate::routing::RoutingKind;

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
    /// Parameters of the online equity-aware policy.
    #[serde(default)]
    pub online: OnlineParams,
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

/// The `[latency]` table: a gateway may use the data centers within this limit. Give one of the two.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencySpec {
    /// Great-circle distance limit, km.
    pub limit_km: Option<f64>,
    /// Round-trip time limit, ms, estimated as `2 x 1.5 x distance / 200 km/ms` (fibre speed,
    /// route stretch 1.5).
    pub limit_rtt_ms: Option<f64>,
}

impl LatencySpec {
    /// The limit as a great-circle distance, km.
    pub fn limit_km(&self) -> f64 {
        self.limit_km
            .unwrap_or_else(|| crate::routing::distance_for_rtt_km(self.limit_rtt_ms.unwrap_or(0.0)))
    }
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
    /// Simulate only the first `hours` hours of the traces (default: all).
    pub hours: Option<usize>,
}

/// Prices put on the highest regional footprint (the equity terms of the objective).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EquityWeights {
    /// USD per m3 of the highest data center's water consumption.
    pub water_usd_per_m3: f64,
    /// USD per tonne of the highest data center's carbon emissions.
    pub carbon_usd_per_t: f64,
}

/// Trace file paths. Give `dc_hourly` (precomputed intensities, as the paper's data) or the
/// physical traces `weather`, `carbon`, `prices` and `fuel_factors` (plus `fuel_mix` and/or
/// `mix_shares` for off-site water), from which [`crate::intensity`] derives the intensities.
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

impl TraceFiles {
    /// Every trace file named, in field order.
    pub fn paths(&self) -> Vec<&PathBuf> {
        let optional = [
            &self.dc_hourly,
            &self.weather,
            &self.carbon,
            &self.prices,
            &self.fuel_mix,
            &self.mix_shares,
            &self.fuel_factors,
        ];
        let mut paths: Vec<&PathBuf> = optional.into_iter().flatten().collect();
        paths.insert(0, &self.workload);
        paths
    }

    fn resolve(&mut self, folder: &Path) {
        self.workload = folder.join(&self.workload);
        let optional = [
            &mut self.dc_hourly,
            &mut self.weather,
            &mut self.carbon,
            &mut self.prices,
            &mut self.fuel_mix,
            &mut self.mix_shares,
            &mut self.fuel_factors,
        ];
        for path in optional.into_iter().flatten() {
            *path = folder.join(&*path);
        }
    }

    /// True when intensities are derived from physical traces rather than read precomputed.
    pub fn is_physical(&self) -> bool {
        self.dc_hourly.is_none()
    }
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

/// The `[physics]` table: how physical traces become intensities (physical scenarios only,
/// except `embodied`, which any scenario may use).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhysicsSpec {
    /// Grid carbon intensity: `direct` (default), `life-cycle` or `fuel-mix`.
    #[serde(default)]
    pub carbon: CarbonSource,
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

impl EmbodiedSpec {
    /// Embodied carbon per kWh of server energy, kg CO2e.
    pub fn kg_per_kwh(&self) -> f64 {
        crate::physics::embodied::kg_per_busy_server_hour(
            self.server_kg,
            self.lifetime_years,
            self.utilisation,
        ) / self.server_kw
    }
}

/// Parameters of `eglb-online` (dual mirror descent).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlineParams {
    /// Dual step size, in 1/USD (the dual update adds `step_size` x an hourly footprint cost in USD).
    #[serde(default = "default_step_size")]
    pub step_size: f64,
    /// Cap on the hourly footprint targets, as a multiple of `weight x capacity x the highest
    /// intensity seen so far` at each data center.
    #[serde(default = "default_z_cap")]
    pub z_cap: f64,
    /// Project the duals onto mu >= 0 after each step (the authors' code does not).
    #[serde(default = "default_true")]
    pub project_dual: bool,
}

fn default_step_size() -> f64 {
    1e-4
}
fn default_z_cap() -> f64 {
    1.0
}
fn default_true() -> bool {
    true
}

impl Default for OnlineParams {
    fn default() -> Self {
        OnlineParams {
            step_size: default_step_size(),
            z_cap: default_z_cap(),
            project_dual: true,
        }
    }
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
    /// Physical traces: the region key of its weather, carbon and price rows.
    pub region: Option<String>,
    /// Physical traces: the balancing authority of its hourly fuel mix (else annual shares).
    pub grid_ba: Option<String>,
    /// Physical traces: its zone in the annual mix shares (default: `region`).
    pub mix_zone: Option<String>,
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
    /// `synthetic` workload: the gateway's UTC offset, hours (its users' local time).
    pub utc_offset_h: Option<i64>,
    /// Latitude, degrees north (needed for `routing = "latency"`).
    pub lat: Option<f64>,
    /// Longitude, degrees east (needed for `routing = "latency"`).
    pub lon: Option<f64>,
}

/// A scenario file as read, before overrides: parse once, apply many sets of overrides.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    /// The file.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex (with `base`, of the bytes followed by the base's hash).
    pub sha256: String,
    /// The file as written, parsed.
    pub raw: RawScenario,
    tree: toml::Value,
}

/// A validated scenario with resolved paths.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it came from.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex (with `base`, of the bytes followed by the base's hash).
    pub sha256: String,
    /// The overrides applied, as given (`KEY=VALUE`).
    pub overrides: Vec<String>,
    /// The scenario with overrides applied and trace paths resolved.
    pub raw: RawScenario,
}

impl Scenario {
    /// Reads `path`, applies `overrides` (`KEY=VALUE`, dotted keys) in order, and validates.
    pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario> {
        ScenarioFile::read(path)?.with_overrides(overrides)
    }
}

impl ScenarioFile {
    /// Reads and parses `path`; errors carry the file's line and column. A top-level
    /// `base = "other.toml"` (relative to this file) starts from that scenario: tables merge key
    /// by key, any other value here replaces the base's.
    pub fn read(path: &Path) -> Result<ScenarioFile> {
        Self::read_nested(path, 0)
    }

    fn read_nested(path: &Path, depth: usize) -> Result<ScenarioFile> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| Error::file(path, "not UTF-8 text"))?;
        let mut table: toml::Table =
            toml::from_str(&text).map_err(|e| Error::file(path, e.to_string().trim_end()))?;
        let mut hasher = Sha256::new();
        hasher.update(&bytes);
        let Some(base) = table.remove("base") else {
            let raw = toml::from_str::<RawScenario>(&text)
                .map_err(|e| Error::file(path, e.to_string().trim_end()))?;
            let sha256 = hex(&hasher.finalize());
            return Ok(ScenarioFile {
                path: path.to_path_buf(),
                sha256,
                raw,
                tree: toml::Value::Table(table),
            });
        };
        let base = base
            .as_str()
            .ok_or_else(|| Error::file(path, "`base` must be a file name"))?;
        if depth >= 8 {
            return Err(Error::file(path, "`base` files nest more than 8 deep (a cycle?)"));
        }
        let base_path = path.parent().unwrap_or(Path::new(".")).join(base);
        let base_file = Self::read_nested(&base_path, depth + 1)?;
        hasher.update(base_file.sha256.as_bytes());
        let mut tree = base_file.tree;
        anchor_trace_paths(&mut tree, &base_path);
        merge_tables(&mut tree, table);
        let raw = tree.clone().try_into::<RawScenario>().map_err(|e| {
            Error::file(
                path,
                format!("{} (with base {})", e.to_string().trim(), base_path.display()),
            )
        })?;
        Ok(ScenarioFile {
            path: path.to_path_buf(),
            sha256: hex(&hasher.finalize()),
            raw,
            tree,
        })
    }

    /// The scenario with `overrides` (`KEY=VALUE`) applied in order, validated, paths resolved.
    pub fn with_overrides(&self, overrides: &[String]) -> Result<Scenario> {
        let mut raw = self.raw.clone();
        if !overrides.is_empty() {
            let mut tree = self.tree.clone();
            for item in overrides {
                apply_override(&mut tree, item)?;
                raw = parse_overridden(&tree, item)?;
            }
        }
        validate(&raw).map_err(|msg| match overrides {
            [] => Error::file(&self.path, msg),
            _ => Error::file(
                &self.path,
                format!("{msg} (with --set {})", overrides.join(" --set ")),
            ),
        })?;
        raw.traces.resolve(self.path.parent().unwrap_or(Path::new(".")));
        Ok(Scenario {
            path: self.path.clone(),
            sha256: self.sha256.clone(),
            overrides: overrides.to_vec(),
            raw,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Makes a base file's relative trace paths absolute, so they still point at the same files
/// when the scenario that extends it lives in another folder.
fn anchor_trace_paths(tree: &mut toml::Value, base_path: &Path) {
    let folder = base_path.parent().unwrap_or(Path::new("."));
    let Some(traces) = tree.get_mut("traces").and_then(toml::Value::as_table_mut) else {
        return;
    };
    for (_, value) in traces.iter_mut() {
        if let Some(relative) = value.as_str() {
            let anchored =
                std::path::absolute(folder.join(relative)).unwrap_or_else(|_| folder.join(relative));
            *value = toml::Value::String(anchored.display().to_string());
        }
    }
}

/// Merges `over` into `base`: tables key by key, anything else replaced.
fn merge_tables(base: &mut toml::Value, over: toml::Table) {
    let toml::Value::Table(base) = base else { return };
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(existing @ toml::Value::Table(_)), toml::Value::Table(inner)) => {
                merge_tables(existing, inner)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Sets `KEY=VALUE` in the parsed file. VALUE is read as a TOML value (`60`, `true`, `"x"`,
/// `[1, 2]`); anything that is not one is taken as a string, so `routing=partial` works. A part
/// after a list is a 0-based index: `dc.0.capacity_mw`.
fn apply_override(tree: &mut toml::Value, item: &str) -> Result<()> {
    let (key, value) = item.split_once('=').ok_or_else(|| Error::Override {
        key: item.to_string(),
        msg: "expected KEY=VALUE, e.g. equity.water_usd_per_m3=100".into(),
    })?;
    let key = key.trim();
    let err = |msg: String| Error::Override {
        key: key.to_string(),
        msg,
    };
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(err("empty part in dotted key".into()));
    }
    let mut node = tree;
    for (depth, part) in parts.iter().enumerate() {
        let walked = parts[..depth].join(".");
        node = match node {
            toml::Value::Table(table) => table
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(Default::default())),
            toml::Value::Array(items) => {
                let len = items.len();
                let index: usize = part.parse().ok().filter(|i| *i < len).ok_or_else(|| {
                    err(format!(
                        "`{walked}` is a list of {len}; `{part}` is not an index below {len}"
                    ))
                })?;
                &mut items[index]
            }
            _ => return Err(err(format!("`{walked}` is a value, not a table"))),
        };
    }
    *node = parse_value(value.trim());
    Ok(())
}

/// Reads a command-line value as TOML (`60`, `true`, `"x"`, `[1, 2]`), else as a bare string.
pub fn parse_value(text: &str) -> toml::Value {
    match toml::from_str::<toml::Table>(&format!("v = {text}")) {
        Ok(mut t) => t.remove("v").expect("the key was just parsed"),
        Err(_) => toml::Value::String(text.to_string()),
    }
}

fn parse_overridden(tree: &toml::Value, item: &str) -> Result<RawScenario> {
    let key = item.split_once('=').map_or(item, |(k, _)| k).trim().to_string();
    tree.clone()
        .try_into::<RawScenario>()
        .map_err(|e| Error::Override {
            key,
            msg: e.to_string().trim().replace('\n', " "),
        })
}

/// Checks what serde cannot: ranges, unique names, and that every name refers to something.
fn validate(raw: &RawScenario) -> std::result::Result<(), String> {
    let non_negative = |v: f64, what: &str| {
        if v.is_finite() && v >= 0.0 {
            Ok(())
        } else {
            Err(format!("`{what}` must be a finite number >= 0, got {v}"))
        }
    };
    let plain_name = !raw.name.is_empty()
        && raw.name != "."
        && raw.name != ".."
        && raw.name.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c));
    if !plain_name {
        return Err(format!(
            "`name` = {:?} must be a plain folder name (letters, digits, - _ .); results go to results/<name>/",
            raw.name
        ));
    }
    non_negative(raw.equity.water_usd_per_m3, "equity.water_usd_per_m3")?;
    non_negative(raw.equity.carbon_usd_per_t, "equity.carbon_usd_per_t")?;
    positive(raw.online.step_size, "online.step_size")?;
    positive(raw.online.z_cap, "online.z_cap")?;
    if raw.horizon.hours == Some(0) {
        return Err("`horizon.hours` must be at least 1".into());
    }
    if raw.dcs.is_empty() || raw.gateways.is_empty() {
        return Err("a scenario needs at least one `[[dc]]` and one `[[gateway]]`".into());
    }
    unique(raw.dcs.iter().map(|d| d.name.as_str()), "dc")?;
    unique(raw.gateways.iter().map(|g| g.name.as_str()), "gateway")?;
    for dc in &raw.dcs {
        positive(dc.capacity_mw, &format!("dc `{}` capacity_mw", dc.name))?;
        positive(
            dc.water_vulnerability,
            &format!("dc `{}` water_vulnerability", dc.name),
        )?;
        positive(
            dc.carbon_vulnerability,
            &format!("dc `{}` carbon_vulnerability", dc.name),
        )?;
    }
    let dc_known = |name: &str| raw.dcs.iter().any(|d| d.name == name);
    let gateway_known = |name: &str| raw.gateways.iter().any(|g| g.name == name);
    validate_workload(raw)?;
    validate_physics(raw)?;
    for g in &raw.gateways {
        if !dc_known(&g.nearest_dc) {
            return Err(format!(
                "gateway `{}`: nearest_dc `{}` is not a [[dc]]",
                g.name, g.nearest_dc
            ));
        }
    }
    for (dc, gateways) in &raw.partial_routing {
        if !dc_known(dc) {
            return Err(format!("partial_routing: `{dc}` is not a [[dc]]"));
        }
        if let Some(g) = gateways.iter().find(|g| !gateway_known(g)) {
            return Err(format!("partial_routing.{dc}: `{g}` is not a [[gateway]]"));
        }
    }
    if raw.routing == RoutingKind::Latency {
        validate_latency(raw)?;
    }
    if raw.routing == RoutingKind::Partial && raw.partial_routing.is_empty() {
        return Err("routing = \"partial\" needs a [partial_routing] table".into());
    }
    if !raw.partial_routing.is_empty() {
        for g in &raw.gateways {
            let served = raw
                .partial_routing
                .get(&g.nearest_dc)
                .is_some_and(|gs| gs.contains(&g.name));
            if !served {
                return Err(format!(
                    "partial_routing.{} must include gateway `{}`, whose nearest_dc it is",
                    g.nearest_dc, g.name
                ));
            }
        }
    }
    Ok(())
}

fn positive(v: f64, what: &str) -> std::result::Result<(), String> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(format!("`{what}` must be a finite number > 0, got {v}"))
    }
}

/// The workload model's fields: `trace` needs a normaliser and `demand_scale_mw` per gateway,
/// `synthetic` a `mean_mw` and `utc_offset_h` per gateway; neither takes the other's.
fn validate_workload(raw: &RawScenario) -> std::result::Result<(), String> {
    let w = &raw.workload;
    positive(w.scale, "workload.scale")?;
    if !(-12..=14).contains(&w.trace_utc_offset_h) {
        return Err(format!(
            "`workload.trace_utc_offset_h` must be between -12 and 14, got {}",
            w.trace_utc_offset_h
        ));
    }
    let trace = w.model == WorkloadModel::Trace;
    match (trace, w.normaliser) {
        (true, Some(n)) => positive(n, "workload.normaliser")?,
        (true, None) => return Err("workload model `trace` needs `workload.normaliser`".into()),
        (false, Some(_)) => return Err("`workload.normaliser` is for model = \"trace\" only".into()),
        (false, None) => {}
    }
    let (model, needs, other) = match w.model {
        WorkloadModel::Trace => ("trace", "demand_scale_mw", "mean_mw and utc_offset_h"),
        WorkloadModel::Synthetic => ("synthetic", "mean_mw and utc_offset_h", "demand_scale_mw"),
    };
    for g in &raw.gateways {
        let (demand, has_all, has_other) = match w.model {
            WorkloadModel::Trace => (
                g.demand_scale_mw,
                g.demand_scale_mw.is_some(),
                g.mean_mw.is_some() || g.utc_offset_h.is_some(),
            ),
            WorkloadModel::Synthetic => (
                g.mean_mw,
                g.mean_mw.is_some() && g.utc_offset_h.is_some(),
                g.demand_scale_mw.is_some(),
            ),
        };
        if !has_all || has_other {
            return Err(format!(
                "gateway `{}`: workload model `{model}` takes {needs}, not {other}",
                g.name
            ));
        }
        if let Some(v) = demand.filter(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(format!(
                "gateway `{}`: {needs} must be a finite number >= 0, got {v}",
                g.name
            ));
        }
        if let Some(h) = g.utc_offset_h.filter(|h| !(-12..=14).contains(h)) {
            return Err(format!(
                "gateway `{}`: utc_offset_h must be between -12 and 14, got {h}",
                g.name
            ));
        }
    }
    Ok(())
}

/// Physical traces need a region, cooling and PUE per data center, a price rate per currency
/// and sane physics; precomputed traces take none of the physical fields.
fn validate_physics(raw: &RawScenario) -> std::result::Result<(), String> {
    let files = &raw.traces;
    let physics = &raw.physics;
    if let Some(e) = physics.embodied {
        positive(e.server_kg, "physics.embodied.server_kg")?;
        positive(e.lifetime_years, "physics.embodied.lifetime_years")?;
        positive(e.server_kw, "physics.embodied.server_kw")?;
        if !(e.utilisation > 0.0 && e.utilisation <= 1.0) {
            return Err(format!(
                "`physics.embodied.utilisation` must be in (0, 1], got {}",
                e.utilisation
            ));
        }
    }
    let physical = [&files.weather, &files.carbon, &files.prices, &files.fuel_factors];
    if !files.is_physical() {
        let traces_set = [&files.weather, &files.carbon, &files.prices, &files.fuel_mix]
            .into_iter()
            .chain([&files.mix_shares, &files.fuel_factors])
            .any(|f| f.is_some());
        if traces_set {
            return Err("[traces] takes either dc_hourly or the physical traces (weather, carbon, prices, ...), not both".into());
        }
        let physics_set = physics.carbon != CarbonSource::default()
            || physics.cooling.is_some()
            || physics.pue.is_some()
            || physics.fossil_fuel.is_some()
            || !physics.usd_per.is_empty();
        if physics_set {
            return Err("[physics] carbon, cooling, pue, fossil_fuel and usd_per are for physical traces; this scenario reads precomputed intensities from traces.dc_hourly (only [physics.embodied] applies)".into());
        }
        let dc_set = |d: &DcSpec| {
            d.region.is_some()
                || d.grid_ba.is_some()
                || d.mix_zone.is_some()
                || d.cooling.is_some()
                || d.pue.is_some()
                || d.fossil_fuel.is_some()
        };
        if let Some(d) = raw.dcs.iter().find(|d| dc_set(d)) {
            return Err(format!(
                "dc `{}`: region, grid_ba, mix_zone, cooling, pue and fossil_fuel are for physical traces; this scenario reads precomputed intensities from traces.dc_hourly",
                d.name
            ));
        }
        return Ok(());
    }
    let names = ["weather", "carbon", "prices", "fuel_factors"];
    if let Some(i) = physical.iter().position(|f| f.is_none()) {
        return Err(format!(
            "[traces] needs `dc_hourly`, or the physical traces weather, carbon, prices and fuel_factors (missing: {})",
            names[i]
        ));
    }
    for (currency, rate) in &physics.usd_per {
        positive(*rate, &format!("physics.usd_per.{currency}"))?;
    }
    let fuel_known = |f: &str| crate::physics::grid::FUELS.contains(&f);
    if let Some(f) = physics.fossil_fuel.as_deref().filter(|f| !fuel_known(f)) {
        return Err(format!(
            "`physics.fossil_fuel` = `{f}` is not one of: {}",
            crate::physics::grid::FUELS.join(", ")
        ));
    }
    for d in &raw.dcs {
        let err = |msg: String| format!("dc `{}`: {msg}", d.name);
        if d.region.is_none() {
            return Err(err(
                "needs `region`, its key in the weather, carbon and price traces".into(),
            ));
        }
        let cooling = d
            .cooling
            .or(physics.cooling)
            .ok_or_else(|| err("needs `cooling` (or set physics.cooling)".into()))?;
        cooling.validate().map_err(|m| err(format!("cooling: {m}")))?;
        let pue = d
            .pue
            .or(physics.pue)
            .ok_or_else(|| err("needs `pue` (or set physics.pue)".into()))?;
        pue.validate().map_err(|m| err(format!("pue: {m}")))?;
        if let Some(f) = d.fossil_fuel.as_deref().filter(|f| !fuel_known(f)) {
            return Err(err(format!(
                "fossil_fuel `{f}` is not one of: {}",
                crate::physics::grid::FUELS.join(", ")
            )));
        }
        if d.grid_ba.is_some() && (d.mix_zone.is_some() || d.fossil_fuel.is_some()) {
            return Err(err(
                "mix_zone and fossil_fuel are for annual mixes; with grid_ba the hourly fuel mix is used"
                    .into(),
            ));
        }
        match (&d.grid_ba, &files.fuel_mix, &files.mix_shares) {
            (Some(_), None, _) => return Err(err("grid_ba needs traces.fuel_mix".into())),
            (None, _, None) => {
                return Err(err(
                    "needs `grid_ba` (with traces.fuel_mix) or traces.mix_shares for its off-site water"
                        .into(),
                ));
            }
            _ => {}
        }
        if physics.carbon == CarbonSource::FuelMix && d.grid_ba.is_none() {
            return Err(err(
                "physics.carbon = \"fuel-mix\" needs `grid_ba` on every data center".into(),
            ));
        }
    }
    Ok(())
}

/// `routing = "latency"` needs one positive limit and coordinates on every site.
fn validate_latency(raw: &RawScenario) -> std::result::Result<(), String> {
    let limit = match raw.latency {
        Some(LatencySpec {
            limit_km: Some(v),
            limit_rtt_ms: None,
        })
        | Some(LatencySpec {
            limit_km: None,
            limit_rtt_ms: Some(v),
        }) => v,
        _ => {
            return Err(
                "routing = \"latency\" needs a [latency] table with one of limit_km, limit_rtt_ms".into(),
            );
        }
    };
    if !(limit.is_finite() && limit > 0.0) {
        return Err(format!("the latency limit must be a number > 0, got {limit}"));
    }
    let sites = raw.dcs.iter().map(|d| ("dc", &d.name, d.lat, d.lon));
    let sites = sites.chain(raw.gateways.iter().map(|g| ("gateway", &g.name, g.lat, g.lon)));
    for (kind, name, lat, lon) in sites {
        match (lat, lon) {
            (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {}
            _ => {
                return Err(format!(
                    "{kind} `{name}` needs lat (-90..90) and lon (-180..180) for routing = \"latency\""
                ));
            }
        }
    }
    let limit_km = raw.latency.expect("matched above").limit_km();
    for g in &raw.gateways {
        let dc = raw
            .dcs
            .iter()
            .find(|d| d.name == g.nearest_dc)
            .expect("nearest_dc checked before");
        let km = crate::problem::site_distance_km(dc, g);
        if km > limit_km {
            return Err(format!(
                "gateway `{}`: its nearest_dc `{}` is {km:.0} km away, beyond the latency limit of {limit_km:.0} km",
                g.name, g.nearest_dc
            ));
        }
    }
    Ok(())
}

fn unique<'a>(names: impl Iterator<Item = &'a str>, what: &str) -> std::result::Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(format!("{what} `{name}` is defined twice"));
        }
    }
    Ok(())
}
