//! On-site water: the water use effectiveness (WUE, litres evaporated and blown down per kWh of
//! server energy) of a data center's cooling, from the hour's wet-bulb temperature.

use serde::Deserialize;

use super::psychrometrics::fahrenheit;

/// A cooling system, chosen per data center in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, serde::Serialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Cooling {
    /// Evaporative cooling tower (docs/model.md §2.3; the "Making AI Less Thirsty" code): evaporation
    /// a cubic in the wet bulb (°F), times `S / (S - 1)` for blowdown at `cycles` of
    /// concentration S, floored at 0.05 L/kWh.
    CoolingTower {
        /// Cycles of concentration S (> 1; typically 3 to 10; 6 in the paper's code).
        cycles: f64,
    },
    /// Air-side economiser with evaporative assist: outside air cools the servers with no
    /// water while the wet bulb is at or below `threshold_wet_bulb_c`; above it, a cooling
    /// tower at `cycles` takes over.
    AirEconomiser {
        /// Wet bulb, °C, up to which no water is used.
        threshold_wet_bulb_c: f64,
        /// Cycles of concentration of the evaporative assist.
        cycles: f64,
    },
}

/// Lowest on-site WUE of a cooling tower, L/kWh (the paper's code clips there).
pub const TOWER_MIN_WUE_L_PER_KWH: f64 = 0.05;

/// A cooling tower's WUE, L/kWh, at wet bulb `wet_bulb_c` and `cycles` of concentration.
pub fn cooling_tower_wue_l_per_kwh(wet_bulb_c: f64, cycles: f64) -> f64 {
    let f = fahrenheit(wet_bulb_c);
    let evaporation = 6e-5 * f.powi(3) - 0.01 * f * f + 0.61 * f - 10.4;
    (cycles / (cycles - 1.0) * evaporation).max(TOWER_MIN_WUE_L_PER_KWH)
}

impl Cooling {
    /// On-site WUE, L per kWh of server energy, at wet bulb `wet_bulb_c`.
    pub fn wue_l_per_kwh(&self, wet_bulb_c: f64) -> f64 {
        match *self {
            Cooling::CoolingTower { cycles } => cooling_tower_wue_l_per_kwh(wet_bulb_c, cycles),
            Cooling::AirEconomiser {
                threshold_wet_bulb_c,
                cycles,
            } => {
                if wet_bulb_c <= threshold_wet_bulb_c {
                    0.0
                } else {
                    cooling_tower_wue_l_per_kwh(wet_bulb_c, cycles)
                }
            }
        }
    }

    /// Checks the parameters; says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let (cycles, threshold) = match *self {
            Cooling::CoolingTower { cycles } => (cycles, 0.0),
            Cooling::AirEconomiser {
                cycles,
                threshold_wet_bulb_c,
            } => (cycles, threshold_wet_bulb_c),
        };
        if !(cycles.is_finite() && cycles > 1.0) {
            return Err(format!("cooling `cycles` must be a number > 1, got {cycles}"));
        }
        if !threshold.is_finite() {
            return Err(format!(
                "cooling `threshold_wet_bulb_c` must be a finite number, got {threshold}"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn celsius(f: f64) -> f64 {
        (f - 32.0) * 5.0 / 9.0
    }

    #[test]
    fn cooling_tower_matches_the_papers_examples() {
        // docs/model.md §2.3, S = 6: 30 °F -> 0.62, 50 °F -> 3.12, 60 °F -> 3.79, 70 °F -> 4.66, 80 °F -> 6.14 L/kWh.
        for (f, wue) in [
            (30.0, 0.62),
            (50.0, 3.12),
            (60.0, 3.79),
            (70.0, 4.66),
            (80.0, 6.14),
        ] {
            let got = cooling_tower_wue_l_per_kwh(celsius(f), 6.0);
            assert!((got - wue).abs() < 0.01, "{f} F: {got} vs {wue}");
        }
        // By hand at 50 °F: 6e-5 x 125,000 - 25 + 30.5 - 10.4 = 2.6; x 6/5 = 3.12; at S = 3: x 3/2 = 3.9.
        assert!((cooling_tower_wue_l_per_kwh(10.0, 3.0) - 3.9).abs() < 1e-9);
        // Very cold: the floor.
        assert_eq!(cooling_tower_wue_l_per_kwh(-30.0, 6.0), TOWER_MIN_WUE_L_PER_KWH);
    }

    #[test]
    fn economiser_uses_no_water_below_its_threshold() {
        let cooling = Cooling::AirEconomiser {
            threshold_wet_bulb_c: 18.0,
            cycles: 6.0,
        };
        assert_eq!(cooling.wue_l_per_kwh(10.0), 0.0);
        assert_eq!(cooling.wue_l_per_kwh(18.0), 0.0);
        assert_eq!(
            cooling.wue_l_per_kwh(22.0),
            cooling_tower_wue_l_per_kwh(22.0, 6.0)
        );
        assert!(Cooling::CoolingTower { cycles: 1.0 }.validate().is_err());
        assert!(cooling.validate().is_ok());
    }
}
