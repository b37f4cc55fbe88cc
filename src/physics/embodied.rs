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

/// Embodied carbon of serving `load_mw` for one hour, kg CO2e, for servers drawing
/// `server_kw` each when busy.
pub fn kg_for_load(load_mw: f64, server_kw: f64, kg_per_server_hour: f64) -> f64 {
    load_mw * 1000.0 / server_kw * kg_per_server_hour
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sustainable_ai_figures() {
        // model.md §4: 2,000 kg over 3 years -> 0.0761 kg/h; over 5 years -> 0.0457; at 30 % busy, 3 years -> 0.254.
        assert!((kg_per_busy_server_hour(2000.0, 3.0, 1.0) - 0.0761).abs() < 1e-4);
        assert!((kg_per_busy_server_hour(2000.0, 5.0, 1.0) - 0.0457).abs() < 1e-4);
        assert!((kg_per_busy_server_hour(2000.0, 3.0, 0.3) - 0.2537).abs() < 1e-4);
        // The paper's 1 MW data center: 500 servers of 2 kW; at 0.0761 kg each -> 38.1 kg per hour.
        assert!((kg_for_load(1.0, 2.0, 0.0761) - 38.05).abs() < 1e-9);
    }
}
