//! Per-gateway hourly demand of a scenario: its workload trace scaled per gateway, or a synthetic
//! series per gateway from [`crate::workload`] with a seed derived from the scenario's.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::scenario::{DemandModel, Scenario};
use crate::traces::{WorkloadTrace, format_hour};
use crate::workload::DemandShape;

/// Per-gateway demand, MW, hour-major (`[hour][gateway]`), for the `hours` from index `start` of the
/// `intensity_hours` of `scenario`: the trace scaled per gateway (model `trace`; the trace must
/// cover exactly the intensity traces' hours),
/// or a synthetic series per gateway with the shape calibrated on the trace (model `synthetic`;
/// gateway `g` draws from the seed `scenario.seed` mixed with `g`). Both are multiplied by
/// `workload.scale`.
pub fn gateway_demand_mw(
    scenario: &Scenario,
    trace: &WorkloadTrace,
    intensity_hours: &[DateTime<Utc>],
    start: usize,
    hours: usize,
) -> Result<Vec<Vec<f64>>> {
    let spec = &scenario.demand;
    match &spec.model {
        DemandModel::Trace { normaliser, scale_mw } => {
            if trace.hours != intensity_hours {
                let fmt = format_hour;
                return Err(Error::file(
                    &trace.path,
                    format!(
                        "covers {} hours from {}, but the intensity traces cover {} hours from {}: they must be the same hours",
                        trace.hours.len(),
                        fmt(&trace.hours[0]),
                        intensity_hours.len(),
                        fmt(&intensity_hours[0])
                    ),
                ));
            }
            Ok(trace.values[start..start + hours]
                .iter()
                .map(|v| {
                    let share = v / normaliser * spec.scale;
                    scale_mw.iter().map(|mw| mw * share).collect()
                })
                .collect())
        }
        DemandModel::Synthetic {
            trace_utc_offset_h,
            gateways,
        } => {
            let shape = DemandShape::calibrate(&trace.hours, &trace.values, *trace_utc_offset_h)
                .map_err(|msg| Error::file(&trace.path, format!("column `{}`: {msg}", spec.column)))?;
            let series: Vec<Vec<f64>> = gateways
                .iter()
                .enumerate()
                .map(|(g, &(mean_mw, clock))| {
                    let seed = gateway_seed(scenario.seed, g);
                    shape.generate(intensity_hours[start], hours, clock, mean_mw * spec.scale, seed)
                })
                .collect();
            Ok((0..hours)
                .map(|t| series.iter().map(|s| s[t]).collect())
                .collect())
        }
    }
}

/// The seed of gateway `g`'s demand: the scenario seed mixed with `g` (splitmix64), so gateways
/// draw independent series and adding a gateway leaves the others' unchanged.
fn gateway_seed(seed: u64, g: usize) -> u64 {
    let mut z = seed.wrapping_add((g as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
