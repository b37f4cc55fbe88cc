//! Embodied (manufacturing) carbon amortised over a server's busy hours ("Sustainable AI", Wu et
//! al. 2022: about 2,000 kg CO2e for a GPU server, half for CPU-only; 3- to 5-year lifetimes;
//! 30-60 % utilisation).

/// Hours in a (non-leap) year.
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// Embodied carbon per busy server-hour, kg CO2e: `embodied_kg / (lifetime_years x 8,760 h x
/// utilisation)`, with `utilisation` the busy share of the lifetime (0 < u <= 1).
pub fn kg_per_busy_server_hour(embodied_kg: f64, lifetime_years: f64, utilisation: f64) -> f64 {
    embodied_kg / (lifetime_years * HOURS_PER_YEAR * utilisation)
}

/// Embodied carbon per kWh of server energy, kg CO2e, for servers drawing `server_kw` each when
/// busy: [`kg_per_busy_server_hour`] / `server_kw`.
pub fn kg_per_kwh(embodied_kg: f64, lifetime_years: f64, utilisation: f64, server_kw: f64) -> f64 {
    kg_per_busy_server_hour(embodied_kg, lifetime_years, utilisation) / server_kw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sustainable_ai_figures() {
        // docs/model.md §2.2: 2,000 kg over 3 years -> 0.0761 kg/h; over 5 years -> 0.0457; at 30 % busy, 3 years -> 0.254.
        assert!((kg_per_busy_server_hour(2000.0, 3.0, 1.0) - 0.0761).abs() < 1e-4);
        assert!((kg_per_busy_server_hour(2000.0, 5.0, 1.0) - 0.0457).abs() < 1e-4);
        assert!((kg_per_busy_server_hour(2000.0, 3.0, 0.3) - 0.2537).abs() < 1e-4);
        // The paper's 1 MW data center: 500 servers of 2 kW; at 0.0761 kg each -> 38.1 kg per hour,
        // from 1,000 kWh of server energy.
        assert!((1000.0 * kg_per_kwh(2000.0, 3.0, 1.0, 2.0) - 38.05).abs() < 1e-2);
    }
}
