//! Validation of where intensities come from: precomputed traces take none of the physical
//! settings; physical traces need a region, cooling and PUE per data center (the `[physics]`
//! defaults applied here, once), a price rate per currency and sane physics.

use std::path::{Path, PathBuf};

use super::{Checked, positive};
use crate::physics::grid::FUELS;
use crate::scenario::raw::{CarbonSource, DcSpec, PhysicsSpec, RawScenario, TraceFiles};
use crate::scenario::{GridMix, Intensities, PhysicalSpec, SiteCarbon, SitePhysics};
use crate::traces::physical::PhysicalPaths;

/// The intensity source and the embodied carbon per kWh: precomputed traces take none of the
/// physical settings; physical traces need a region, cooling and PUE per data center, a price
/// rate per currency and sane physics.
pub fn intensities(raw: &RawScenario, folder: &Path) -> Checked<(Intensities, f64)> {
    let embodied = match raw.physics.embodied {
        Some(e) => {
            positive(e.server_kg, "physics.embodied.server_kg")?;
            positive(e.lifetime_years, "physics.embodied.lifetime_years")?;
            positive(e.server_kw, "physics.embodied.server_kw")?;
            if !(e.utilisation > 0.0 && e.utilisation <= 1.0) {
                return Err(format!(
                    "`physics.embodied.utilisation` must be in (0, 1], got {}",
                    e.utilisation
                ));
            }
            crate::physics::embodied::kg_per_kwh(e.server_kg, e.lifetime_years, e.utilisation, e.server_kw)
        }
        None => 0.0,
    };
    let files = &raw.traces;
    let Some(dc_hourly) = &files.dc_hourly else {
        return Ok((Intensities::Physical(physical(raw, folder)?), embodied));
    };
    check_not_physical(raw)?;
    let dc_hourly = folder.join(dc_hourly);
    Ok((Intensities::Precomputed { dc_hourly }, embodied))
}

/// A precomputed-trace scenario sets none of the physical traces or settings.
fn check_not_physical(raw: &RawScenario) -> Checked<()> {
    let files = &raw.traces;
    let traces_set = [&files.weather, &files.carbon, &files.prices, &files.fuel_mix]
        .into_iter()
        .chain([&files.mix_shares, &files.fuel_factors])
        .any(|f| f.is_some());
    if traces_set {
        return Err(
            "[traces] takes either dc_hourly or the physical traces (weather, carbon, prices, ...), not both"
                .into(),
        );
    }
    let physics = &raw.physics;
    let physics_set = physics.carbon != CarbonSource::default()
        || physics.anomalies != Default::default()
        || physics.cooling.is_some()
        || physics.pue.is_some()
        || physics.fossil_fuel.is_some()
        || !physics.usd_per.is_empty();
    if physics_set {
        return Err("[physics] carbon, anomalies, cooling, pue, fossil_fuel and usd_per are for physical traces; this scenario reads precomputed intensities from traces.dc_hourly (only [physics.embodied] applies)".into());
    }
    let dc_set = |d: &DcSpec| {
        d.region.is_some()
            || d.grid_ba.is_some()
            || d.mix_zone.is_some()
            || d.price_region.is_some()
            || d.cooling.is_some()
            || d.pue.is_some()
            || d.fossil_fuel.is_some()
    };
    if let Some(d) = raw.dcs.iter().find(|d| dc_set(d)) {
        return Err(format!(
            "dc `{}`: region, grid_ba, mix_zone, price_region, cooling, pue and fossil_fuel are for physical traces; this scenario reads precomputed intensities from traces.dc_hourly",
            d.name
        ));
    }
    Ok(())
}

/// The physical traces (paths resolved against `folder`) and every data center's physics.
fn physical(raw: &RawScenario, folder: &Path) -> Checked<PhysicalSpec> {
    let files = physical_paths(&raw.traces, folder)?;
    let physics = &raw.physics;
    for (currency, rate) in &physics.usd_per {
        positive(*rate, &format!("physics.usd_per.{currency}"))?;
    }
    if let Some(f) = physics.fossil_fuel.as_deref().filter(|f| !FUELS.contains(f)) {
        return Err(format!(
            "`physics.fossil_fuel` = `{f}` is not one of: {}",
            FUELS.join(", ")
        ));
    }
    let sites = raw
        .dcs
        .iter()
        .map(|d| site_physics(d, physics, &files).map_err(|msg| format!("dc `{}`: {msg}", d.name)))
        .collect::<Checked<_>>()?;
    Ok(PhysicalSpec {
        files,
        usd_per: physics.usd_per.clone(),
        anomalies: physics.anomalies,
        sites,
    })
}

fn physical_paths(files: &TraceFiles, folder: &Path) -> Checked<PhysicalPaths> {
    let required = [
        ("weather", &files.weather),
        ("carbon", &files.carbon),
        ("prices", &files.prices),
        ("fuel_factors", &files.fuel_factors),
    ];
    if let Some((name, _)) = required.iter().find(|(_, f)| f.is_none()) {
        return Err(format!(
            "[traces] needs `dc_hourly`, or the physical traces weather, carbon, prices and fuel_factors (missing: {name})"
        ));
    }
    let at = |path: &Option<PathBuf>| path.as_ref().map(|p| folder.join(p));
    let [weather, carbon, prices, fuel_factors] = required.map(|(_, f)| at(f).unwrap_or_default());
    Ok(PhysicalPaths {
        weather,
        carbon,
        prices,
        fuel_mix: at(&files.fuel_mix),
        mix_shares: at(&files.mix_shares),
        fuel_factors,
    })
}

/// One data center's physics with the `[physics]` defaults applied.
fn site_physics(d: &DcSpec, physics: &PhysicsSpec, files: &PhysicalPaths) -> Checked<SitePhysics> {
    let region = d
        .region
        .clone()
        .ok_or("needs `region`, its key in the weather, carbon and price traces")?;
    let cooling = d
        .cooling
        .or(physics.cooling)
        .ok_or("needs `cooling` (or set physics.cooling)")?;
    cooling.validate().map_err(|m| format!("cooling: {m}"))?;
    let pue = d.pue.or(physics.pue).ok_or("needs `pue` (or set physics.pue)")?;
    pue.validate().map_err(|m| format!("pue: {m}"))?;
    if let Some(f) = d.fossil_fuel.as_deref().filter(|f| !FUELS.contains(f)) {
        return Err(format!("fossil_fuel `{f}` is not one of: {}", FUELS.join(", ")));
    }
    if d.grid_ba.is_some() && (d.mix_zone.is_some() || d.fossil_fuel.is_some()) {
        return Err(
            "mix_zone and fossil_fuel are for annual mixes; with grid_ba the hourly fuel mix is used".into(),
        );
    }
    let offsite_water = match (&d.grid_ba, &files.fuel_mix, &files.mix_shares) {
        (Some(_), None, _) => return Err("grid_ba needs traces.fuel_mix".into()),
        (None, _, None) => {
            return Err(
                "needs `grid_ba` (with traces.fuel_mix) or traces.mix_shares for its off-site water".into(),
            );
        }
        (Some(ba), Some(_), _) => GridMix::Hourly { ba: ba.clone() },
        (None, _, Some(_)) => GridMix::Annual {
            zone: d.mix_zone.clone().unwrap_or_else(|| region.clone()),
            fossil_fuel: (d.fossil_fuel.as_deref().or(physics.fossil_fuel.as_deref()))
                .unwrap_or("natural gas")
                .to_string(),
        },
    };
    let carbon = match (physics.carbon, &d.grid_ba) {
        (CarbonSource::Direct, _) => SiteCarbon::Trace {
            column: "ci_direct_gco2eq_per_kwh",
        },
        (CarbonSource::LifeCycle, _) => SiteCarbon::Trace {
            column: "ci_lca_gco2eq_per_kwh",
        },
        (CarbonSource::FuelMix, Some(ba)) => SiteCarbon::FuelMix { ba: ba.clone() },
        (CarbonSource::FuelMix, None) => {
            return Err("physics.carbon = \"fuel-mix\" needs `grid_ba` on every data center".into());
        }
    };
    let price_region = d.price_region.clone().unwrap_or_else(|| region.clone());
    Ok(SitePhysics {
        region,
        price_region,
        cooling,
        pue,
        offsite_water,
        carbon,
    })
}
