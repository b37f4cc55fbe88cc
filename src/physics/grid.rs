//! Off-site water and carbon of grid electricity: generation-weighted per-fuel factors of an
//! hourly fuel mix (docs/model.md §2.4): `EWIF = sum share_f x EWIF_f`, `CI = sum share_f x CI_f`.

/// The fuels of EIA-930 hourly generation, in this order everywhere.
pub const FUELS: [&str; 8] = [
    "coal",
    "natural gas",
    "nuclear",
    "oil",
    "other",
    "solar",
    "hydro",
    "wind",
];

/// Per-fuel water and carbon factors, indexed like [`FUELS`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FuelFactors {
    /// Water consumed per kWh generated (EWIF), L/kWh.
    pub ewif_l_per_kwh: [f64; 8],
    /// Carbon per kWh generated, g CO2/kWh.
    pub carbon_g_per_kwh: [f64; 8],
}

impl FuelFactors {
    /// The factors of the water paper's code: EWIF from Macknick et al. (NREL, gal/MWh x
    /// 3.785412 L/gal / 1,000), carbon from "It's Not Easy Being Green" (SIGCOMM 2012).
    pub const PAPER: FuelFactors = FuelFactors {
        ewif_l_per_kwh: [1.7034, 1.1356, 2.2712, 1.3249, 1.7981, 0.0, 0.0, 0.0],
        carbon_g_per_kwh: [968.0, 440.0, 15.0, 890.0, 450.0, 20.0, 13.5, 22.5],
    };
}

/// Water and carbon intensity of one hour's generation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridIntensity {
    /// Off-site water, L per kWh of electricity.
    pub ewif_l_per_kwh: f64,
    /// Carbon, kg CO2 per kWh of electricity.
    pub carbon_kg_per_kwh: f64,
}

/// The intensity of a mix of `generation_mw` (indexed like [`FUELS`]; negative values count as
/// 0), or `None` if nothing was generated.
pub fn mix_intensity(generation_mw: &[f64; 8], factors: &FuelFactors) -> Option<GridIntensity> {
    let total: f64 = generation_mw.iter().map(|g| g.max(0.0)).sum();
    if total <= 0.0 {
        return None;
    }
    let weighted = |factor: &[f64; 8]| {
        generation_mw
            .iter()
            .zip(factor)
            .map(|(g, f)| g.max(0.0) * f)
            .sum::<f64>()
            / total
    };
    Some(GridIntensity {
        ewif_l_per_kwh: weighted(&factors.ewif_l_per_kwh),
        carbon_kg_per_kwh: weighted(&factors.carbon_g_per_kwh) / 1000.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_coal_half_wind_by_hand() {
        let mix = mix_intensity(&[50.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 50.0], &FuelFactors::PAPER).unwrap();
        assert!((mix.ewif_l_per_kwh - 1.7034 / 2.0).abs() < 1e-12);
        assert!((mix.carbon_kg_per_kwh - (968.0 + 22.5) / 2000.0).abs() < 1e-12);
        assert_eq!(mix_intensity(&[0.0; 8], &FuelFactors::PAPER), None);
    }

    #[test]
    fn matches_real_eia_930_hours() {
        // Rows of EIA-930 generation (MW) with the paper-factor intensities the trace
        // preparation computed independently (shared traces, eia930_fuelmix_2022_hourly):
        // (coal, gas, nuclear, oil, other, solar, hydro, wind) -> (g/kWh, L/kWh).
        let rows = [
            (
                [9141.0, 13522.0, 5100.0, 0.0, 58.0, 0.0, 8.0, 18425.0],
                331.1160,
                0.9213,
            ), // ERCO 2022-01-01T00Z
            (
                [6786.0, 22356.0, 4984.0, 0.0, 103.0, 0.0, 116.0, 18017.0],
                323.3938,
                0.9253,
            ), // ERCO 2022-07-28T06Z
            (
                [34173.0, 29880.0, 10321.0, 0.0, 758.0, 1126.0, 581.0, 3522.0],
                582.7726,
                1.4553,
            ), // MISO 2022-07-26T14Z
        ];
        for (generation, carbon_g, ewif) in rows {
            let mix = mix_intensity(&generation, &FuelFactors::PAPER).unwrap();
            assert!(
                (mix.carbon_kg_per_kwh * 1000.0 - carbon_g).abs() < 1e-3,
                "{mix:?} vs {carbon_g}"
            );
            assert!((mix.ewif_l_per_kwh - ewif).abs() < 1e-3, "{mix:?} vs {ewif}");
        }
    }
}
