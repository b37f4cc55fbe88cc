//! The footprint of serving load: energy cost, carbon and water of one data center in one hour.
//!
//! Intensities are per unit of server (IT) energy, as the paper's data and code use them:
//! a load of `load_mw` for one hour is `load_mw` MWh of server energy.

/// Energy, cost, carbon and water of one data center in one hour.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Footprint {
    /// Server energy, MWh.
    pub energy_mwh: f64,
    /// Energy cost, USD.
    pub cost_usd: f64,
    /// Carbon, kg CO2.
    pub carbon_kg: f64,
    /// Water consumed (on-site + off-site), L.
    pub water_l: f64,
}

impl Footprint {
    /// The footprint of `load_mw` for one hour at the given intensities.
    pub fn of_hour(
        load_mw: f64,
        price_usd_per_mwh: f64,
        carbon_kg_per_kwh: f64,
        water_l_per_kwh: f64,
    ) -> Footprint {
        let energy_kwh = load_mw * 1000.0;
        Footprint {
            energy_mwh: load_mw,
            cost_usd: price_usd_per_mwh * load_mw,
            carbon_kg: carbon_kg_per_kwh * energy_kwh,
            water_l: water_l_per_kwh * energy_kwh,
        }
    }

    /// Adds `other` to `self`.
    pub fn add(&mut self, other: &Footprint) {
        self.energy_mwh += other.energy_mwh;
        self.cost_usd += other.cost_usd;
        self.carbon_kg += other.carbon_kg;
        self.water_l += other.water_l;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mw_for_an_hour() {
        // 1 MWh at 50 USD/MWh, 0.4 kg/kWh, 5 L/kWh.
        let f = Footprint::of_hour(1.0, 50.0, 0.4, 5.0);
        assert_eq!(
            f,
            Footprint {
                energy_mwh: 1.0,
                cost_usd: 50.0,
                carbon_kg: 400.0,
                water_l: 5000.0
            }
        );
    }
}
