//! Validation of who may serve whom: nearest data centers by name, the `[partial_routing]` table,
//! and the `[latency]` limit with every site's coordinates.

use std::collections::{BTreeSet, HashMap};

use super::Checked;
use crate::model::geo::{Location, RttModel};
use crate::model::routing::{Routing, RoutingKind};
use crate::scenario::raw::RawScenario;

/// Each gateway's nearest data center, by index.
pub fn nearest_dcs(raw: &RawScenario) -> Checked<Vec<usize>> {
    let dcs = dc_index(raw);
    raw.gateways
        .iter()
        .map(|g| {
            dcs.get(g.nearest_dc.as_str()).copied().ok_or_else(|| {
                format!(
                    "gateway `{}`: nearest_dc `{}` is not a [[dc]]",
                    g.name, g.nearest_dc
                )
            })
        })
        .collect()
}

/// Each data center's index, by name.
fn dc_index(raw: &RawScenario) -> HashMap<&str, usize> {
    raw.dcs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i))
        .collect()
}

/// The allowed pairs of the chosen routing mode; `measured_rtt_ms` are the `[latency] matrix`'s
/// round-trip times, data-center major, if given.
pub fn routing(raw: &RawScenario, nearest_dc: &[usize], measured_rtt_ms: Option<&[f64]>) -> Checked<Routing> {
    let (n_dcs, n_gateways) = (raw.dcs.len(), raw.gateways.len());
    let partial = partial_pairs(raw, nearest_dc)?;
    Ok(match raw.routing {
        RoutingKind::Full => Routing::full(n_dcs, n_gateways),
        RoutingKind::Nearest => {
            Routing::from_fn(RoutingKind::Nearest, n_dcs, n_gateways, |d, g| nearest_dc[g] == d)
        }
        RoutingKind::Partial => {
            let pairs = partial.ok_or("routing = \"partial\" needs a [partial_routing] table")?;
            Routing::from_fn(RoutingKind::Partial, n_dcs, n_gateways, |d, g| {
                pairs.contains(&(d, g))
            })
        }
        RoutingKind::Latency => match (measured_rtt_ms, raw.latency.as_ref().and_then(|l| l.limit_rtt_ms)) {
            (Some(rtt), Some(limit_ms)) => {
                check_limit(limit_ms)?;
                within_measured_limit(raw, nearest_dc, rtt, limit_ms)?
            }
            _ => {
                let (km, limit_km) = latency_distances_km(raw, nearest_dc)?;
                Routing::from_fn(RoutingKind::Latency, n_dcs, n_gateways, |d, g| {
                    km[d][g] <= limit_km
                })
            }
        },
    })
}

/// The `[partial_routing]` pairs as (dc, gateway) indices, if the table is given; it must name
/// known sites and include every gateway's nearest data center.
fn partial_pairs(raw: &RawScenario, nearest_dc: &[usize]) -> Checked<Option<BTreeSet<(usize, usize)>>> {
    let mut pairs = BTreeSet::new();
    let dcs = dc_index(raw);
    let gateway_index: HashMap<&str, usize> = raw
        .gateways
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.as_str(), i))
        .collect();
    for (dc, gateways) in &raw.partial_routing {
        let d = *dcs
            .get(dc.as_str())
            .ok_or_else(|| format!("partial_routing: `{dc}` is not a [[dc]]"))?;
        for name in gateways {
            let g = *gateway_index
                .get(name.as_str())
                .ok_or_else(|| format!("partial_routing.{dc}: `{name}` is not a [[gateway]]"))?;
            pairs.insert((d, g));
        }
    }
    if raw.partial_routing.is_empty() {
        return Ok(None);
    }
    if let Some((g, gateway)) = raw
        .gateways
        .iter()
        .enumerate()
        .find(|(g, _)| !pairs.contains(&(nearest_dc[*g], *g)))
    {
        return Err(format!(
            "partial_routing.{} must include gateway `{}`, whose nearest_dc it is",
            raw.dcs[nearest_dc[g]].name, gateway.name
        ));
    }
    Ok(Some(pairs))
}

/// The pairs whose measured round-trip time is within `limit_ms`; every gateway's nearest data
/// center must be.
fn within_measured_limit(
    raw: &RawScenario,
    nearest_dc: &[usize],
    rtt: &[f64],
    limit_ms: f64,
) -> Checked<Routing> {
    let n_gateways = raw.gateways.len();
    for (g, gateway) in raw.gateways.iter().enumerate() {
        let ms = rtt[nearest_dc[g] * n_gateways + g];
        if ms.is_nan() || ms > limit_ms {
            return Err(format!(
                "gateway `{}`: its nearest_dc `{}` is {ms} ms away in the [latency] matrix, beyond the limit of {limit_ms} ms",
                gateway.name, gateway.nearest_dc
            ));
        }
    }
    Ok(Routing::from_fn(
        RoutingKind::Latency,
        raw.dcs.len(),
        n_gateways,
        |d, g| rtt[d * n_gateways + g] <= limit_ms,
    ))
}

fn check_limit(limit: f64) -> Checked<()> {
    if limit.is_finite() && limit > 0.0 {
        Ok(())
    } else {
        Err(format!("the latency limit must be a number > 0, got {limit}"))
    }
}

/// The round-trip-time model of `[latency]` (stretch and fibre speed > 0).
pub fn rtt_model(raw: &RawScenario) -> Checked<RttModel> {
    let Some(spec) = &raw.latency else {
        return Ok(RttModel::default());
    };
    for (key, value) in [
        ("route_stretch", spec.route_stretch),
        ("fibre_km_per_ms", spec.fibre_km_per_ms),
    ] {
        if !(value.is_finite() && value > 0.0) {
            return Err(format!(
                "`latency.{key}` must be a finite number > 0, got {value}"
            ));
        }
    }
    Ok(RttModel {
        route_stretch: spec.route_stretch,
        fibre_km_per_ms: spec.fibre_km_per_ms,
    })
}

/// For `routing = "latency"`: one positive limit and coordinates on every site, and every
/// gateway's nearest data center within the limit. Returns the great-circle distance of every
/// (dc, gateway) pair and the limit, km.
fn latency_distances_km(raw: &RawScenario, nearest_dc: &[usize]) -> Checked<(Vec<Vec<f64>>, f64)> {
    let model = rtt_model(raw)?;
    let limit_km = match raw.latency.as_ref().map(|l| (l.limit_km, l.limit_rtt_ms)) {
        Some((Some(km), None)) => km,
        Some((None, Some(ms))) => {
            check_limit(ms)?;
            model.distance_km(ms)
        }
        _ => {
            return Err(
                "routing = \"latency\" needs a [latency] table with one of limit_km, limit_rtt_ms".into(),
            );
        }
    };
    check_limit(limit_km)?;
    let site = |kind: &str, name: &str, lat: Option<f64>, lon: Option<f64>| match (lat, lon) {
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
            Ok(Location { lat, lon })
        }
        _ => Err(format!(
            "{kind} `{name}` needs lat (-90..90) and lon (-180..180) for routing = \"latency\""
        )),
    };
    let dcs: Vec<Location> = raw
        .dcs
        .iter()
        .map(|d| site("dc", &d.name, d.lat, d.lon))
        .collect::<Checked<_>>()?;
    let gateways: Vec<Location> = raw
        .gateways
        .iter()
        .map(|g| site("gateway", &g.name, g.lat, g.lon))
        .collect::<Checked<_>>()?;
    let km: Vec<Vec<f64>> = dcs
        .iter()
        .map(|d| gateways.iter().map(|g| d.distance_km(g)).collect())
        .collect();
    for (g, gateway) in raw.gateways.iter().enumerate() {
        let distance = km[nearest_dc[g]][g];
        if distance > limit_km {
            return Err(format!(
                "gateway `{}`: its nearest_dc `{}` is {distance:.0} km away, beyond the latency limit of {limit_km:.0} km",
                gateway.name, gateway.nearest_dc
            ));
        }
    }
    Ok((km, limit_km))
}
