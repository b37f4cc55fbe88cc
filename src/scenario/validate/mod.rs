//! [`RawScenario`] -> [`Scenario`]: checks what serde cannot (ranges, unique names, that every name
//! refers to something, that the chosen trace mode has what it needs and nothing it ignores) and
//! resolves names to indices, defaults and paths, each once.

use std::collections::BTreeMap;
use std::path::Path;

mod physics;
mod routing;

use super::raw::{GatewaySpec, RawScenario, WorkloadModel};
use super::{Demand, DemandModel, Scenario, Source};
use crate::model::Fleet;
use crate::model::forecast::{ForecastModel, ForecastSpec};
use crate::model::geo::Location;
use crate::policy;
use crate::workload::LocalClock;

pub(super) type Checked<T> = std::result::Result<T, String>;

/// Validates `raw` (from `source`) into a scenario; the error says what is wrong, in words.
pub fn scenario(raw: RawScenario, source: Source) -> Checked<Scenario> {
    check_name(&raw.name)?;
    non_negative(raw.equity.water_usd_per_m3, "equity.water_usd_per_m3")?;
    non_negative(raw.equity.carbon_usd_per_t, "equity.carbon_usd_per_t")?;
    let policy_params = policy_params(&raw)?;
    let forecast = forecast(&raw)?;
    if raw.horizon.hours == Some(0) {
        return Err("`horizon.hours` must be at least 1".into());
    }
    check_sites(&raw)?;
    let demand = demand(&raw)?;
    let folder = source.path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let (intensities, embodied_kg_per_kwh) = physics::intensities(&raw, &folder)?;
    let nearest_dc = routing::nearest_dcs(&raw)?;
    let latency_matrix = raw
        .latency
        .as_ref()
        .and_then(|l| l.matrix.as_ref())
        .map(|m| folder.join(m));
    let measured_rtt_ms = latency_matrix
        .as_deref()
        .map(|path| measured_rtt(&raw, path))
        .transpose()?;
    let routing = routing::routing(&raw, &nearest_dc, measured_rtt_ms.as_deref())?;
    let rtt_model = routing::rtt_model(&raw)?;
    let location = |lat: Option<f64>, lon: Option<f64>| Some(Location { lat: lat?, lon: lon? });
    let dc_locations: Vec<Option<Location>> = raw.dcs.iter().map(|d| location(d.lat, d.lon)).collect();
    let gateway_locations: Vec<Option<Location>> =
        raw.gateways.iter().map(|g| location(g.lat, g.lon)).collect();
    let pair_rtt_ms = measured_rtt_ms.or_else(|| {
        let km = super::pair_distances_km(&dc_locations, &gateway_locations)?;
        Some(km.into_iter().map(|d| rtt_model.rtt_ms(d)).collect())
    });
    let fleet = Fleet {
        dcs: raw.dcs.iter().map(|d| d.name.clone()).collect(),
        gateways: raw.gateways.iter().map(|g| g.name.clone()).collect(),
        capacity_mw: raw.dcs.iter().map(|d| d.capacity_mw).collect(),
        routing,
        nearest_dc,
        equity: raw.equity,
        water_vulnerability: raw.dcs.iter().map(|d| d.water_vulnerability).collect(),
        carbon_vulnerability: raw.dcs.iter().map(|d| d.carbon_vulnerability).collect(),
    };
    Ok(Scenario {
        dc_locations,
        gateway_locations,
        pair_rtt_ms,
        rtt_model,
        latency_matrix,
        demand: Demand {
            workload: folder.join(&raw.traces.workload),
            ..demand
        },
        source,
        name: raw.name,
        description: raw.description,
        seed: raw.seed,
        horizon_hours: raw.horizon.hours,
        horizon_start: horizon_start(raw.horizon.start.as_deref())?,
        fleet,
        intensities,
        embodied_kg_per_kwh,
        policy_params,
        forecast,
        sweep: raw.sweep,
    })
}

/// The `[forecast]` table: `sigma` a finite number >= 0, and only for the noisy model.
fn forecast(raw: &RawScenario) -> Checked<ForecastSpec> {
    let table = raw.forecast;
    if !(table.sigma.is_finite() && table.sigma >= 0.0) {
        return Err(format!(
            "`forecast.sigma` must be a finite number >= 0, got {}",
            table.sigma
        ));
    }
    if table.sigma > 0.0 && table.model != ForecastModel::Noisy {
        return Err(format!(
            "`forecast.sigma` = {} applies to `forecast.model = \"noisy\"` only (the model is \"{}\")",
            table.sigma,
            table.model.name()
        ));
    }
    Ok(ForecastSpec {
        model: table.model,
        sigma: table.sigma,
        seed: raw.seed,
    })
}

fn check_name(name: &str) -> Checked<()> {
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && name.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c));
    if plain {
        return Ok(());
    }
    Err(format!(
        "`name` = {name:?} must be a plain folder name (letters, digits, - _ .); results go to results/<name>/"
    ))
}

/// The `[latency] matrix` at `path`, for the scenario's sites.
fn measured_rtt(raw: &RawScenario, path: &Path) -> Checked<Vec<f64>> {
    use crate::traces::latency::{Site, read_rtt_matrix};
    let zones = raw.latency.as_ref().map(|l| l.zones.clone()).unwrap_or_default();
    let site = |name: &str| Site {
        name: name.to_string(),
        zone: zones.get(name).cloned(),
    };
    let dcs: Vec<Site> = raw.dcs.iter().map(|d| site(&d.name)).collect();
    let gateways: Vec<Site> = raw.gateways.iter().map(|g| site(&g.name)).collect();
    read_rtt_matrix(path, &dcs, &gateways).map_err(|e| format!("[latency] matrix: {e}"))
}

/// `horizon.start`: an RFC 3339 time on the hour, as UTC.
fn horizon_start(text: Option<&str>) -> Checked<Option<chrono::DateTime<chrono::Utc>>> {
    let Some(text) = text else { return Ok(None) };
    let start = chrono::DateTime::parse_from_rfc3339(text)
        .map_err(|e| {
            format!("`horizon.start` = `{text}`: not an RFC 3339 time such as 2022-07-01T00:00:00Z ({e})")
        })?
        .with_timezone(&chrono::Utc);
    if start.timestamp() % 3600 != 0 {
        return Err(format!("`horizon.start` = `{text}`: not on the hour"));
    }
    Ok(Some(start))
}

pub(super) fn non_negative(v: f64, what: &str) -> Checked<()> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(format!("`{what}` must be a finite number >= 0, got {v}"))
    }
}

pub(super) fn positive(v: f64, what: &str) -> Checked<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(format!("`{what}` must be a finite number > 0, got {v}"))
    }
}

/// The `[policy.<name>]` tables, with `[online]` as `eglb-online`'s, each checked by its policy.
fn policy_params(raw: &RawScenario) -> Checked<BTreeMap<String, toml::Table>> {
    let mut params = raw.policy.clone();
    if let Some(online) = &raw.online {
        if params.contains_key("eglb-online") {
            return Err("give eglb-online's parameters in [policy.eglb-online] or in its old spelling [online], not both (with --set, use the spelling the scenario uses: `online.KEY=...` where it has [online])".into());
        }
        params.insert("eglb-online".into(), online.clone());
    }
    for (name, table) in &params {
        let label = match (name.as_str(), &raw.online) {
            ("eglb-online", Some(_)) => "online".to_string(),
            _ => format!("policy.{name}"),
        };
        let entry = policy::find(name).ok_or_else(|| {
            let known: Vec<&str> = policy::names().collect();
            format!(
                "[{label}]: no policy is called `{name}` (known policies: {})",
                crate::error::listed(&known, ", ")
            )
        })?;
        (entry.resolve_params)(table).map_err(|msg| format!("[{label}] {msg}"))?;
    }
    Ok(params)
}

/// The most data centers, and the most gateways, a scenario may have.
pub const MAX_SITES: usize = 10_000;
/// The most (data center, gateway) pairs a scenario may have (its routing mask and distances).
pub const MAX_PAIRS: usize = 1_000_000;

/// At least one data center and gateway, unique names, positive capacities and weights.
fn check_sites(raw: &RawScenario) -> Checked<()> {
    if raw.dcs.is_empty() || raw.gateways.is_empty() {
        return Err("a scenario needs at least one `[[dc]]` and one `[[gateway]]`".into());
    }
    if raw.dcs.len() > MAX_SITES || raw.gateways.len() > MAX_SITES {
        return Err(format!(
            "{} data centers and {} gateways: a scenario may have at most {MAX_SITES} of each",
            raw.dcs.len(),
            raw.gateways.len()
        ));
    }
    if raw.dcs.len() * raw.gateways.len() > MAX_PAIRS {
        return Err(format!(
            "{} data centers x {} gateways make {} pairs: a scenario may have at most {MAX_PAIRS}",
            raw.dcs.len(),
            raw.gateways.len(),
            raw.dcs.len() * raw.gateways.len()
        ));
    }
    unique(raw.dcs.iter().map(|d| d.name.as_str()), "dc")?;
    unique(raw.gateways.iter().map(|g| g.name.as_str()), "gateway")?;
    for dc in &raw.dcs {
        // 0 closes a data center: its region bears nothing.
        non_negative(dc.capacity_mw, &format!("dc `{}` capacity_mw", dc.name))?;
        positive(
            dc.water_vulnerability,
            &format!("dc `{}` water_vulnerability", dc.name),
        )?;
        positive(
            dc.carbon_vulnerability,
            &format!("dc `{}` carbon_vulnerability", dc.name),
        )?;
    }
    Ok(())
}

fn unique<'a>(names: impl Iterator<Item = &'a str>, what: &str) -> Checked<()> {
    let mut seen = std::collections::BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(format!("{what} `{name}` is defined twice"));
        }
    }
    Ok(())
}

/// The workload model's fields: `trace` needs a normaliser and `demand_scale_mw` per gateway,
/// `synthetic` a `mean_mw` and a `utc_offset_h` or `timezone` per gateway; neither takes the
/// other's. The workload path is resolved by the caller.
fn demand(raw: &RawScenario) -> Checked<Demand> {
    let w = &raw.workload;
    positive(w.scale, "workload.scale")?;
    if !(-12..=14).contains(&w.trace_utc_offset_h) {
        return Err(format!(
            "`workload.trace_utc_offset_h` must be between -12 and 14, got {}",
            w.trace_utc_offset_h
        ));
    }
    let normaliser = match (w.model, w.normaliser) {
        (WorkloadModel::Trace, Some(n)) => positive(n, "workload.normaliser").map(|()| n)?,
        (WorkloadModel::Trace, None) => {
            return Err("workload model `trace` needs `workload.normaliser`".into());
        }
        (WorkloadModel::Synthetic, Some(_)) => {
            return Err("`workload.normaliser` is for model = \"trace\" only".into());
        }
        (WorkloadModel::Synthetic, None) => 0.0,
    };
    let gateways: Vec<(f64, LocalClock)> = raw
        .gateways
        .iter()
        .map(|g| gateway_demand(w.model, g))
        .collect::<Checked<_>>()?;
    let model = match w.model {
        WorkloadModel::Trace => DemandModel::Trace {
            normaliser,
            scale_mw: gateways.iter().map(|(mw, _)| *mw).collect(),
        },
        WorkloadModel::Synthetic => DemandModel::Synthetic {
            trace_utc_offset_h: w.trace_utc_offset_h,
            gateways,
        },
    };
    Ok(Demand {
        workload: raw.traces.workload.clone(),
        column: w.column.clone(),
        scale: w.scale,
        model,
    })
}

/// A gateway's demand fields under `model`: (demand_scale_mw, UTC) or (mean_mw, its local
/// time from `utc_offset_h` or `timezone`).
fn gateway_demand(model: WorkloadModel, g: &GatewaySpec) -> Checked<(f64, LocalClock)> {
    let has_clock = g.utc_offset_h.is_some() || g.timezone.is_some();
    let (needs, other, mw) = match model {
        WorkloadModel::Trace => (
            "demand_scale_mw",
            "mean_mw, utc_offset_h or timezone",
            g.demand_scale_mw.filter(|_| g.mean_mw.is_none() && !has_clock),
        ),
        WorkloadModel::Synthetic => (
            "mean_mw and utc_offset_h (or timezone)",
            "demand_scale_mw",
            g.mean_mw.filter(|_| has_clock && g.demand_scale_mw.is_none()),
        ),
    };
    let model_name = match model {
        WorkloadModel::Trace => "trace",
        WorkloadModel::Synthetic => "synthetic",
    };
    let Some(mw) = mw else {
        return Err(format!(
            "gateway `{}`: workload model `{model_name}` takes {needs}, not {other}",
            g.name
        ));
    };
    if !(mw.is_finite() && mw >= 0.0) {
        return Err(format!(
            "gateway `{}`: {needs} must be a finite number >= 0, got {mw}",
            g.name
        ));
    }
    Ok((mw, local_clock(g)?))
}

/// A gateway's local time: `utc_offset_h` (-12 to 14) or an IANA `timezone`, not both; UTC if
/// neither.
fn local_clock(g: &GatewaySpec) -> Checked<LocalClock> {
    match (g.utc_offset_h, &g.timezone) {
        (Some(_), Some(_)) => Err(format!(
            "gateway `{}`: give utc_offset_h or timezone, not both",
            g.name
        )),
        (Some(offset), None) if !(-12..=14).contains(&offset) => Err(format!(
            "gateway `{}`: utc_offset_h must be between -12 and 14, got {offset}",
            g.name
        )),
        (Some(offset), None) => Ok(LocalClock::Fixed(offset)),
        (None, Some(name)) => name.parse().map(LocalClock::Zone).map_err(|_| {
            format!(
                "gateway `{}`: timezone {name:?} is not a time zone of the IANA database (write e.g. \"America/New_York\", \"Europe/Berlin\")",
                g.name
            )
        }),
        (None, None) => Ok(LocalClock::Fixed(0)),
    }
}
