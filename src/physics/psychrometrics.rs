//! Psychrometrics in SI units, after ASHRAE Handbook Fundamentals 2017 ch. 1 (the equations the
//! psychrolib library implements): saturation vapour pressure, humidity ratio, and the
//! thermodynamic wet-bulb temperature, solved by bisection.

/// Standard sea-level pressure, Pa.
pub const SEA_LEVEL_PA: f64 = 101_325.0;

/// Saturation vapour pressure over liquid water (at or above the triple point, 0.01 °C) or ice
/// (below), Pa. ASHRAE 2017 eqs. 5 and 6.
pub fn saturation_pressure_pa(temp_c: f64) -> f64 {
    let t = temp_c + 273.15;
    let ln = if temp_c >= 0.01 {
        -5.800_220_6e3 / t + 1.391_499_3 - 4.864_023_9e-2 * t + 4.176_476_8e-5 * t * t
            - 1.445_209_3e-8 * t.powi(3)
            + 6.545_967_3 * t.ln()
    } else {
        -5.674_535_9e3 / t + 6.392_524_7 - 9.677_843_0e-3 * t
            + 6.221_570_1e-7 * t * t
            + 2.074_782_5e-9 * t.powi(3)
            - 9.484_024_0e-13 * t.powi(4)
            + 4.163_501_9 * t.ln()
    };
    ln.exp()
}

/// Humidity ratio (kg water per kg dry air) of air at vapour pressure `vapour_pa` and total
/// pressure `pressure_pa`. ASHRAE 2017 eq. 20.
pub fn humidity_ratio(vapour_pa: f64, pressure_pa: f64) -> f64 {
    0.621_945 * vapour_pa / (pressure_pa - vapour_pa)
}

/// Atmospheric pressure at `elevation_m` in the standard atmosphere, Pa. ASHRAE 2017 eq. 3.
pub fn standard_pressure_pa(elevation_m: f64) -> f64 {
    SEA_LEVEL_PA * (1.0 - 2.255_77e-5 * elevation_m).powf(5.2559)
}

/// Humidity ratio implied by a wet bulb `wet_bulb_c` at dry bulb `dry_bulb_c`: the adiabatic
/// saturation balance, ASHRAE 2017 eqs. 33 (above freezing) and 35 (below).
fn humidity_ratio_at_wet_bulb(dry_bulb_c: f64, wet_bulb_c: f64, pressure_pa: f64) -> f64 {
    let saturated = humidity_ratio(saturation_pressure_pa(wet_bulb_c), pressure_pa);
    let (dt, tw) = (dry_bulb_c - wet_bulb_c, wet_bulb_c);
    if wet_bulb_c >= 0.0 {
        ((2501.0 - 2.326 * tw) * saturated - 1.006 * dt) / (2501.0 + 1.86 * dry_bulb_c - 4.186 * tw)
    } else {
        ((2830.0 - 0.24 * tw) * saturated - 1.006 * dt) / (2830.0 + 1.86 * dry_bulb_c - 2.1 * tw)
    }
}

/// Thermodynamic wet-bulb temperature, °C, of air at `dry_bulb_c` (°C), relative humidity
/// `relative_humidity_pct` (0-100 %) and pressure `pressure_pa` (Pa).
///
/// Near 0 °C the ASHRAE relation switches from ice to liquid water and is discontinuous, so dry
/// air just above freezing can have two solutions, one on each side of 0 °C (e.g. 7 °C at 20 %:
/// -0.09 or +0.40 °C); the bisection returns one of them. In the 2022 weather traces this
/// touches under 0.1 % of hours, by at most 0.5 °C of wet bulb (0.17 L/kWh of tower WUE).
pub fn wet_bulb_c(dry_bulb_c: f64, relative_humidity_pct: f64, pressure_pa: f64) -> f64 {
    let rh = (relative_humidity_pct / 100.0).clamp(0.0, 1.0);
    let target = humidity_ratio(rh * saturation_pressure_pa(dry_bulb_c), pressure_pa);
    // The implied humidity ratio rises with the wet bulb, which lies at or below the dry bulb.
    let (mut low, mut high) = (dry_bulb_c - 80.0, dry_bulb_c);
    for _ in 0..60 {
        let mid = 0.5 * (low + high);
        if humidity_ratio_at_wet_bulb(dry_bulb_c, mid, pressure_pa) < target {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// °C to °F.
pub fn fahrenheit(celsius: f64) -> f64 {
    celsius * 9.0 / 5.0 + 32.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturation_pressure_matches_steam_tables() {
        // ASHRAE 2017 table 3: 20 °C -> 2.3392 kPa, 100 °C -> 101.418 kPa; ice at -20 °C -> 0.10326 kPa.
        assert!((saturation_pressure_pa(20.0) - 2339.2).abs() < 1.0);
        assert!((saturation_pressure_pa(100.0) - 101_418.0).abs() < 60.0);
        assert!((saturation_pressure_pa(-20.0) - 103.26).abs() < 0.2);
    }

    #[test]
    fn wet_bulb_reference_values() {
        // Saturated air: the wet bulb is the dry bulb.
        assert!((wet_bulb_c(25.0, 100.0, SEA_LEVEL_PA) - 25.0).abs() < 1e-6);
        // psychrolib 2.5 (the library the paper used), GetTWetBulbFromRelHum in SI units.
        for (dry, rh, pressure, expected) in [
            (20.0, 50.0, SEA_LEVEL_PA, 13.7834),
            (25.0, 50.0, SEA_LEVEL_PA, 17.8894),
            (30.0, 40.0, SEA_LEVEL_PA, 20.0640),
            (35.0, 20.0, SEA_LEVEL_PA, 18.8704),
            (-5.0, 80.0, SEA_LEVEL_PA, -5.8840),
            (30.0, 40.0, standard_pressure_pa(1734.0), 19.4241),
        ] {
            let got = wet_bulb_c(dry, rh, pressure);
            assert!(
                (got - expected).abs() < 0.01,
                "{dry} C, {rh} %: {got} vs {expected}"
            );
        }
        // Lower pressure (altitude) lowers the wet bulb of the same air.
        assert!(wet_bulb_c(30.0, 40.0, standard_pressure_pa(1734.0)) < wet_bulb_c(30.0, 40.0, SEA_LEVEL_PA));
    }

    #[test]
    fn matches_the_weather_traces_wet_bulb_column() {
        // Open-Meteo 2022 rows (shared traces, openmeteo_2022_hourly_16sites): elevation m,
        // temp_c, rh_pct, and the wetbulb_c the trace preparation computed (ASHRAE 2017 at
        // standard-atmosphere station pressure, rounded to 0.01 °C). Agreement to 0.02 °C.
        let rows = [
            (27.0, 8.0, 98.0, 7.84),    // New York, 2022-01-01T02Z
            (7.0, 18.6, 76.0, 15.89),   // San Jose, 2022-06-05T11Z
            (19.0, 24.4, 95.0, 23.78),  // Singapore, 2022-11-07T22Z
            (554.0, 28.4, 18.0, 13.88), // Santiago, 2022-02-19T17Z
            (1734.0, 16.1, 30.0, 7.23), // Johannesburg, 2022-06-03T12Z
            (9.0, 27.7, 84.0, 25.50),   // Mumbai, 2022-09-15T07Z
            (14.0, 12.5, 76.0, 10.25),  // Tokyo, 2022-11-06T10Z
            (29.0, 12.3, 95.0, 11.85),  // London, 2022-11-13T16Z
        ];
        for (elevation, dry, rh, expected) in rows {
            let got = wet_bulb_c(dry, rh, standard_pressure_pa(elevation));
            assert!(
                (got - expected).abs() <= 0.02,
                "{dry} C, {rh} %, {elevation} m: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn standard_atmosphere() {
        assert_eq!(standard_pressure_pa(0.0), SEA_LEVEL_PA);
        // ASHRAE 2017 table 1: 1,500 m -> 84.556 kPa.
        assert!((standard_pressure_pa(1500.0) - 84_556.0).abs() < 30.0);
        assert_eq!(fahrenheit(100.0), 212.0);
    }
}
