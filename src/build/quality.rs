//! The quality checks of a physical scenario's traces ([`crate::traces::alignment`],
//! [`crate::traces::anomalies`]) for the balancing authorities its data centers use: alignment of
//! each fuel mix in time, with the sun and with the carbon trace of the data center's zone (for
//! `fairglb traces check`), and the anomalous hours within the horizon (for the manifest).

use std::ops::Range;

use crate::model::TraceAnomaly;
use crate::physics::grid;
use crate::scenario::{AnomalyRepair, GridMix, PhysicalSpec, Scenario, SiteCarbon};
use crate::traces::alignment::{self, Lag};
use crate::traces::format_hour;
use crate::traces::physical::{FUEL_MIX_COLUMNS, LongTable, PhysicalTraces};

/// The balancing authorities of `spec`'s data centers that `table` holds: each name, the index of
/// the first data center on it, and its key index in `table`.
fn balancing_authorities(spec: &PhysicalSpec, table: &LongTable) -> Vec<(String, usize, usize)> {
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    for (d, site) in spec.sites.iter().enumerate() {
        let water = match &site.offsite_water {
            GridMix::Hourly { ba } => Some(ba),
            GridMix::Annual { .. } => None,
        };
        let carbon = match &site.carbon {
            SiteCarbon::FuelMix { ba } => Some(ba),
            SiteCarbon::Trace { .. } => None,
        };
        for ba in water.into_iter().chain(carbon) {
            let k = table.keys.iter().position(|key| key == ba);
            if let Some(k) = k.filter(|_| !out.iter().any(|(b, ..)| b == ba)) {
                out.push((ba.clone(), d, k));
            }
        }
    }
    out
}

/// The anomalous runs of the fuel mixes `spec` uses that overlap the hours `window`, repaired or
/// not as `spec` says.
pub fn anomalies(spec: &PhysicalSpec, traces: &PhysicalTraces, window: Range<usize>) -> Vec<TraceAnomaly> {
    let Some(table) = &traces.fuel_mix else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (ba, _, k) in balancing_authorities(spec, table) {
        for anomaly in &traces.fuel_mix_anomalies[k] {
            let hours = anomaly.hours.clone();
            if hours.end <= window.start || hours.start >= window.end {
                continue;
            }
            out.push(TraceAnomaly {
                file: table.path.display().to_string(),
                series: ba.clone(),
                kind: anomaly.kind.name().to_string(),
                first_hour_utc: format_hour(&table.hours[hours.start]),
                last_hour_utc: format_hour(&table.hours[hours.end - 1]),
                hours: hours.len(),
                detail: anomaly.detail.clone(),
                repaired: spec.anomalies == AnomalyRepair::Interpolate,
            });
        }
    }
    out
}

/// How one balancing authority's fuel mix lines up in time, month by month.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// The balancing authority.
    pub ba: String,
    /// The zone of the carbon trace it was compared with, if the trace has it.
    pub zone: Option<String>,
    /// The longitude its solar output was compared with, degrees east.
    pub lon: Option<f64>,
    /// Per month: solar noon minus the solar centroid, hours (positive: early).
    pub solar: Vec<(String, Option<f64>)>,
    /// Per month: the lag at which its carbon agrees best with the zone's carbon trace.
    pub carbon: Vec<(String, Option<Lag>)>,
}

impl Alignment {
    /// A warning per span of consecutive months that looks shifted, naming `file`, the
    /// balancing authority, the months and the shift.
    pub fn warnings(&self, file: &str) -> Vec<String> {
        let solar: Vec<(String, i32)> = self
            .solar
            .iter()
            .map(|(m, o)| (m.clone(), o.map_or(0, alignment::solar_shift_h)))
            .collect();
        let carbon: Vec<(String, i32)> = self
            .carbon
            .iter()
            .map(|(m, l)| (m.clone(), l.map_or(0, |l| l.lag_h)))
            .collect();
        let span = |first: &str, last: &str| match first == last {
            true => first.to_string(),
            false => format!("{first} to {last}"),
        };
        let mut out = Vec::new();
        for (first, last, shift) in alignment::shifted_spans(&solar) {
            out.push(format!(
                "{file}: {}: solar output centred {} h {} solar noon at longitude {:.2} in {}: its hours look {} h {}",
                self.ba,
                shift.abs(),
                if shift > 0 { "before" } else { "after" },
                self.lon.unwrap_or(f64::NAN),
                span(&first, &last),
                shift.abs(),
                if shift > 0 { "early" } else { "late" }
            ));
        }
        for (first, last, shift) in alignment::shifted_spans(&carbon) {
            let (r, r0) = self.correlations(&first, &last);
            out.push(format!(
                "{file}: {}: its carbon agrees best with zone {}'s carbon trace {} h {} in {} (r {r:.2} against {r0:.2} at 0 h): its hours look {} h {}",
                self.ba,
                self.zone.as_deref().unwrap_or("?"),
                shift.abs(),
                if shift > 0 { "later" } else { "earlier" },
                span(&first, &last),
                shift.abs(),
                if shift > 0 { "early" } else { "late" }
            ));
        }
        out
    }

    /// The mean best and lag-0 carbon correlations over the months `first` to `last`.
    fn correlations(&self, first: &str, last: &str) -> (f64, f64) {
        let lags: Vec<Lag> = self
            .carbon
            .iter()
            .filter(|(m, _)| m.as_str() >= first && m.as_str() <= last)
            .filter_map(|(_, l)| *l)
            .collect();
        let n = lags.len().max(1) as f64;
        (
            lags.iter().map(|l| l.r).sum::<f64>() / n,
            lags.iter().map(|l| l.r0).sum::<f64>() / n,
        )
    }
}

/// The alignment of every fuel mix `spec` uses: its solar output against solar noon at its
/// first data center's longitude (from the scenario, else the weather trace's), its carbon
/// (from the per-fuel factors) against the carbon trace's direct intensity of that data
/// center's region.
pub fn alignment(scenario: &Scenario, spec: &PhysicalSpec, traces: &PhysicalTraces) -> Vec<Alignment> {
    let Some(table) = &traces.fuel_mix else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (ba, d, k) in balancing_authorities(spec, table) {
        let region = &spec.sites[d].region;
        let lon = scenario.dc_locations[d].map(|l| l.lon).or_else(|| {
            let w = traces.weather.keys.iter().position(|key| key == region)?;
            traces.weather.series(w, "lon").first().copied()
        });
        let solar = match lon {
            Some(lon) => alignment::solar_offsets_h(&table.hours, table.series(k, "solar_mw"), lon),
            None => Vec::new(),
        };
        let z = traces.carbon.keys.iter().position(|key| key == region);
        let carbon = match z {
            Some(z) => {
                let columns: Vec<&[f64]> = FUEL_MIX_COLUMNS.iter().map(|(c, _)| table.series(k, c)).collect();
                let mix: Vec<f64> = (0..table.hours.len())
                    .map(|t| {
                        let generation: [f64; 8] = std::array::from_fn(|f| columns[f][t]);
                        grid::mix_intensity(&generation, &traces.fuel_factors)
                            .map_or(f64::NAN, |m| m.carbon_kg_per_kwh)
                    })
                    .collect();
                let reference = traces.carbon.series(z, "ci_direct_gco2eq_per_kwh");
                alignment::best_lags(&table.hours, reference, &mix)
            }
            None => Vec::new(),
        };
        out.push(Alignment {
            ba,
            zone: z.map(|_| region.clone()),
            lon,
            solar,
            carbon,
        });
    }
    out
}
