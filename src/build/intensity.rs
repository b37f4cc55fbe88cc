//! Per-data-center hourly intensities per kWh of server energy, derived from physical traces with
//! the footprint model of [`crate::physics`] (docs/model.md §2):
//!
//! - price, USD/MWh = market price x USD rate x PUE;
//! - carbon, kg/kWh = grid intensity x PUE (direct, life-cycle, or from the fuel mix);
//! - on-site water, L/kWh = the cooling's WUE at the hour's wet bulb (psychrometric, from the
//!   weather's dry bulb and humidity at the standard pressure of the site's elevation);
//! - off-site water, L/kWh = PUE x EWIF of the grid (hourly from the fuel mix of the data
//!   center's balancing authority, else annual from its zone's generation shares, with the
//!   fossil share counted as one fuel).

use crate::error::{Error, Result};
use crate::physics::grid::{self, FUELS, FuelFactors};
use crate::physics::psychrometrics;
use crate::scenario::{AnomalyRepair, GridMix, PhysicalSpec, Scenario, SiteCarbon, SitePhysics};
use crate::traces::physical::{AnnualShares, FUEL_MIX_COLUMNS, LongTable, PhysicalTraces};
use crate::traces::{DcSeries, format_hour, plausible};

/// One data center's derived series, per hour, and where each came from.
#[derive(Debug, Clone)]
pub struct Site {
    /// Data-center name.
    pub dc: String,
    /// Wet bulb, °C.
    pub wet_bulb_c: Vec<f64>,
    /// On-site water use effectiveness, L per kWh of server energy.
    pub wue_l_per_kwh: Vec<f64>,
    /// Off-site water of the grid, L per kWh of electricity.
    pub ewif_l_per_kwh: Vec<f64>,
    /// Power usage effectiveness.
    pub pue: Vec<f64>,
    /// Grid carbon intensity, kg CO2e per kWh of electricity.
    pub grid_carbon_kg_per_kwh: Vec<f64>,
    /// Electricity price, USD per MWh of electricity.
    pub price_usd_per_mwh: Vec<f64>,
    /// How the off-site water and carbon were obtained, in words (for the manifest and
    /// `fairglb traces check`).
    pub sources: String,
}

impl Site {
    /// The intensities per unit of server energy, as policies see them.
    pub fn series(&self) -> DcSeries {
        let per_it = |v: &[f64]| -> Vec<f64> { v.iter().zip(&self.pue).map(|(v, p)| v * p).collect() };
        let onsite = self.wue_l_per_kwh.clone();
        let water = onsite
            .iter()
            .zip(per_it(&self.ewif_l_per_kwh))
            .map(|(on, off)| on + off)
            .collect();
        DcSeries {
            price_usd_per_mwh: per_it(&self.price_usd_per_mwh),
            carbon_kg_per_kwh: per_it(&self.grid_carbon_kg_per_kwh),
            water_l_per_kwh: water,
            water_onsite_l_per_kwh: Some(onsite),
        }
    }
}

/// Derives every data center's series of `scenario` (physics `spec`) from `traces`.
pub fn derive(scenario: &Scenario, spec: &PhysicalSpec, traces: &PhysicalTraces) -> Result<Vec<Site>> {
    let sites: Vec<Site> = scenario
        .fleet
        .dcs
        .iter()
        .zip(&spec.sites)
        .map(|(dc, site)| derive_site(scenario, spec, dc, site, traces))
        .collect::<Result<_>>()?;
    for site in &sites {
        let series = site.series();
        let all = [
            &series.price_usd_per_mwh,
            &series.carbon_kg_per_kwh,
            &series.water_l_per_kwh,
        ];
        let columns = ["price_usd_per_mwh", "carbon_kg_per_kwh", "water_l_per_kwh"];
        let bad = |t: usize| {
            all.iter().zip(columns).find_map(|(s, c)| {
                (!s[t].is_finite())
                    .then(|| "is not finite".into())
                    .or(plausible(s[t], c).err())
            })
        };
        if let Some((t, why)) = (0..traces.weather.hours.len()).find_map(|t| bad(t).map(|why| (t, why))) {
            return Err(Error::file(
                &scenario.source.path,
                format!(
                    "dc `{}`: a derived intensity at {}: {why} (check its pue, cooling and physics.usd_per)",
                    site.dc,
                    format_hour(&traces.weather.hours[t])
                ),
            ));
        }
    }
    Ok(sites)
}

/// The psychrometric wet bulb of weather region `w`, per hour, °C, at the standard-atmosphere
/// pressure of the site's elevation.
fn wet_bulb_c(traces: &PhysicalTraces, w: usize) -> Vec<f64> {
    let weather = &traces.weather;
    let (temp, rh, elevation) = (
        weather.series(w, "temp_c"),
        weather.series(w, "rh_pct"),
        weather.series(w, "elevation_m"),
    );
    (0..temp.len())
        .map(|t| {
            let pressure = psychrometrics::standard_pressure_pa(elevation[t]);
            psychrometrics::wet_bulb_c(temp[t], rh[t], pressure)
        })
        .collect()
}

fn derive_site(
    scenario: &Scenario,
    spec: &PhysicalSpec,
    dc: &str,
    site: &SitePhysics,
    traces: &PhysicalTraces,
) -> Result<Site> {
    let region = site.region.as_str();
    let field = |name: &str| format!("dc `{dc}` {name}");
    let w = traces.weather.key(region, &field("region"))?;
    let wet_bulb_c = wet_bulb_c(traces, w);
    let temp_c = traces.weather.series(w, "temp_c");
    let (ewif_l_per_kwh, water_source) = ewif(scenario, spec, dc, site, traces)?;
    let (grid_carbon_kg_per_kwh, carbon_source) = match &site.carbon {
        SiteCarbon::Trace { column } => {
            let z = traces.carbon.key(region, &field("region"))?;
            let kg = traces
                .carbon
                .series(z, column)
                .iter()
                .map(|g| g / 1000.0)
                .collect();
            (kg, format!("carbon: hourly {column} of zone {region}"))
        }
        SiteCarbon::FuelMix { ba } => {
            let mix = hourly_mix(traces, spec, ba, &field("grid_ba"))?;
            let kg = mix.iter().map(|m| m.carbon_kg_per_kwh).collect();
            (kg, format!("carbon: hourly fuel mix of {ba}"))
        }
    };
    let (price_usd_per_mwh, price_source) = price_usd_per_mwh(scenario, spec, dc, site, traces)?;
    Ok(Site {
        dc: dc.to_string(),
        wue_l_per_kwh: wet_bulb_c
            .iter()
            .map(|&wb| site.cooling.wue_l_per_kwh(wb))
            .collect(),
        wet_bulb_c,
        ewif_l_per_kwh,
        pue: temp_c.iter().map(|&t| site.pue.at(t)).collect(),
        grid_carbon_kg_per_kwh,
        price_usd_per_mwh,
        sources: format!("{water_source}; {carbon_source}; {price_source}"),
    })
}

/// The market price of the data center's price region (its `region` unless it borrows a
/// neighbour's) in USD per MWh of electricity, and where it came from.
fn price_usd_per_mwh(
    scenario: &Scenario,
    spec: &PhysicalSpec,
    dc: &str,
    site: &SitePhysics,
    traces: &PhysicalTraces,
) -> Result<(Vec<f64>, String)> {
    let (region, own) = (site.price_region.as_str(), site.price_region == site.region);
    let field = if own { "region" } else { "price_region" };
    let p = traces.prices.key(region, &format!("dc `{dc}` {field}"))?;
    let currency = traces.prices.text(p, "currency");
    let rate = match currency {
        "USD" => 1.0,
        other => *spec.usd_per.get(other).ok_or_else(|| {
            Error::file(
                &scenario.source.path,
                format!(
                    "prices of region {region} (dc `{dc}`) are in {other}; give its rate as physics.usd_per.{other}"
                ),
            )
        })?,
    };
    let price = traces
        .prices
        .series(p, "price_native_per_mwh")
        .iter()
        .map(|v| v * rate)
        .collect();
    let borrowed = if own {
        String::new()
    } else {
        format!(", borrowed (price_region) for region {}", site.region)
    };
    Ok((price, format!("price: {region} in {currency} x {rate}{borrowed}")))
}

/// Off-site water per kWh of electricity: hourly from the fuel mix of the data center's
/// balancing authority, else annual from its zone's generation shares.
fn ewif(
    scenario: &Scenario,
    spec: &PhysicalSpec,
    dc: &str,
    site: &SitePhysics,
    traces: &PhysicalTraces,
) -> Result<(Vec<f64>, String)> {
    let field = |name: &str| format!("dc `{dc}` {name}");
    let (zone, fossil) = match &site.offsite_water {
        GridMix::Hourly { ba } => {
            let mix = hourly_mix(traces, spec, ba, &field("grid_ba"))?;
            let ewif = mix.iter().map(|m| m.ewif_l_per_kwh).collect();
            return Ok((ewif, format!("off-site water: hourly fuel mix of {ba}")));
        }
        GridMix::Annual { zone, fossil_fuel } => (zone.as_str(), fossil_fuel.as_str()),
    };
    let shares = traces
        .mix_shares
        .iter()
        .find(|(z, _)| z == zone)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            let known: Vec<&str> = traces.mix_shares.iter().map(|(z, _)| z.as_str()).collect();
            Error::file(
                &scenario.source.path,
                format!(
                    "{}: zone `{zone}` has no annual mix shares (zones: {}); set mix_zone or grid_ba",
                    field("mix_zone"),
                    crate::error::listed(&known, ", ")
                ),
            )
        })?;
    let value = annual_ewif_l_per_kwh(&shares, fossil, &traces.fuel_factors).ok_or_else(|| {
        Error::file(
            &scenario.source.path,
            format!(
                "{}: `{fossil}` is not one of: {}",
                field("fossil_fuel"),
                FUELS.join(", ")
            ),
        )
    })?;
    let hours = traces.weather.hours.len();
    Ok((
        vec![value; hours],
        format!("off-site water: annual 2022 mix of zone {zone}, fossil as {fossil} ({value:.3} L/kWh)"),
    ))
}

/// Annual EWIF, L/kWh, of generation `shares`, counting the fossil share as `fossil_fuel`;
/// `None` if `fossil_fuel` is not one of [`FUELS`].
pub fn annual_ewif_l_per_kwh(shares: &AnnualShares, fossil_fuel: &str, factors: &FuelFactors) -> Option<f64> {
    let factor = |fuel: &str| Some(factors.ewif_l_per_kwh[FUELS.iter().position(|f| *f == fuel)?]);
    Some(
        shares.hydro * factor("hydro")?
            + shares.solar * factor("solar")?
            + shares.wind * factor("wind")?
            + shares.nuclear * factor("nuclear")?
            + shares.fossil * factor(fossil_fuel)?,
    )
}

/// The fuel mix as `spec` uses it: with its anomalies interpolated if it says so.
fn fuel_mix<'a>(traces: &'a PhysicalTraces, spec: &PhysicalSpec) -> Option<&'a LongTable> {
    match spec.anomalies {
        AnomalyRepair::Flag => traces.fuel_mix.as_ref(),
        AnomalyRepair::Interpolate => traces.fuel_mix_repaired.as_ref(),
    }
}

fn hourly_mix(
    traces: &PhysicalTraces,
    spec: &PhysicalSpec,
    ba: &str,
    field: &str,
) -> Result<Vec<grid::GridIntensity>> {
    let Some(table) = fuel_mix(traces, spec) else {
        return Err(Error::file(
            &traces.weather.path,
            format!("{field} needs traces.fuel_mix"),
        ));
    };
    let b = table.key(ba, field)?;
    let columns: Vec<&[f64]> = FUEL_MIX_COLUMNS.iter().map(|(c, _)| table.series(b, c)).collect();
    (0..table.hours.len())
        .map(|t| {
            let generation: [f64; 8] = std::array::from_fn(|f| columns[f][t]);
            grid::mix_intensity(&generation, &traces.fuel_factors).ok_or_else(|| {
                Error::file(
                    &table.path,
                    format!(
                        "balancing authority {ba} generates nothing at {}",
                        format_hour(&table.hours[t])
                    ),
                )
            })
        })
        .collect()
}
