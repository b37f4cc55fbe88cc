//! The footprint of serving load: energy cost, carbon and water of one data center in one hour.
//!
//! Intensities are per unit of server (IT) energy, as the paper's data and code use them:
//! a load of `load_mw` for one hour is `load_mw` MWh of server energy. Water splits into on-site
//! (cooling) and off-site (electricity generation); carbon into operational (the grid) and
//! embodied (server manufacturing); each pair sums to the total.

/// One data center's intensities in one hour, per unit of server energy.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Intensity {
    /// Energy price, USD per MWh.
    pub price_usd_per_mwh: f64,
    /// Carbon (operational + embodied), kg per kWh.
    pub carbon_kg_per_kwh: f64,
    /// The embodied part of `carbon_kg_per_kwh`, kg per kWh.
    pub carbon_embodied_kg_per_kwh: f64,
    /// Water (on-site + off-site), L per kWh.
    pub water_l_per_kwh: f64,
    /// The on-site part of `water_l_per_kwh`, L per kWh.
    pub water_onsite_l_per_kwh: f64,
}

/// Energy, cost, carbon and water of one data center in one hour (or summed over hours).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Footprint {
    /// Server energy, MWh.
    pub energy_mwh: f64,
    /// Energy cost, USD.
    pub cost_usd: f64,
    /// Carbon (operational + embodied), kg CO2e.
    pub carbon_kg: f64,
    /// The embodied part of `carbon_kg`, kg CO2e.
    pub carbon_embodied_kg: f64,
    /// Water consumed (on-site + off-site), L.
    pub water_l: f64,
    /// The on-site part of `water_l`, L.
    pub water_onsite_l: f64,
}

impl Footprint {
    /// The footprint of `load_mw` for one hour at intensities `at`.
    pub fn of_hour(load_mw: f64, at: &Intensity) -> Footprint {
        let energy_kwh = load_mw * 1000.0;
        Footprint {
            energy_mwh: load_mw,
            cost_usd: at.price_usd_per_mwh * load_mw,
            carbon_kg: at.carbon_kg_per_kwh * energy_kwh,
            carbon_embodied_kg: at.carbon_embodied_kg_per_kwh * energy_kwh,
            water_l: at.water_l_per_kwh * energy_kwh,
            water_onsite_l: at.water_onsite_l_per_kwh * energy_kwh,
        }
    }

    /// The operational (grid) part of `carbon_kg`, kg CO2e.
    pub fn carbon_operational_kg(&self) -> f64 {
        self.carbon_kg - self.carbon_embodied_kg
    }

    /// The off-site (electricity generation) part of `water_l`, L.
    pub fn water_offsite_l(&self) -> f64 {
        self.water_l - self.water_onsite_l
    }

    /// Adds `other` to `self`.
    pub fn add(&mut self, other: &Footprint) {
        self.energy_mwh += other.energy_mwh;
        self.cost_usd += other.cost_usd;
        self.carbon_kg += other.carbon_kg;
        self.carbon_embodied_kg += other.carbon_embodied_kg;
        self.water_l += other.water_l;
        self.water_onsite_l += other.water_onsite_l;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mw_for_an_hour() {
        // 1 MWh at 50 USD/MWh, 0.4 kg/kWh of which 0.05 embodied, 5 L/kWh of which 1.5 on site.
        let at = Intensity {
            price_usd_per_mwh: 50.0,
            carbon_kg_per_kwh: 0.4,
            carbon_embodied_kg_per_kwh: 0.05,
            water_l_per_kwh: 5.0,
            water_onsite_l_per_kwh: 1.5,
        };
        let f = Footprint::of_hour(1.0, &at);
        assert_eq!(
            (f.energy_mwh, f.cost_usd, f.carbon_kg, f.water_l),
            (1.0, 50.0, 400.0, 5000.0)
        );
        assert!(
            (f.carbon_embodied_kg - 50.0).abs() < 1e-9 && (f.carbon_operational_kg() - 350.0).abs() < 1e-9
        );
        assert_eq!((f.water_onsite_l, f.water_offsite_l()), (1500.0, 3500.0));
    }
}
