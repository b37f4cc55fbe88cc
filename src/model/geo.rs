//! Geometry of sites: great-circle distances between coordinates, and the distance that a
//! round-trip-time limit allows.

/// A site's coordinates, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Location {
    /// Latitude, degrees north (-90 to 90).
    pub lat: f64,
    /// Longitude, degrees east (-180 to 180).
    pub lon: f64,
}

impl Location {
    /// Great-circle distance to `other`, km.
    pub fn distance_km(&self, other: &Location) -> f64 {
        great_circle_km(self.lat, self.lon, other.lat, other.lon)
    }
}

/// Mean Earth radius, km (IUGG).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance between two points given in degrees, km (haversine formula).
pub fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Round-trip time estimated from great-circle distance: `rtt = 2 x route_stretch x distance /
/// fibre_km_per_ms`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RttModel {
    /// How much longer fibre routes are than the great circle (1.5, a common planning figure).
    pub route_stretch: f64,
    /// Signal speed in optical fibre, km per ms (200, about 2/3 of c).
    pub fibre_km_per_ms: f64,
}

impl Default for RttModel {
    fn default() -> Self {
        RttModel {
            route_stretch: 1.5,
            fibre_km_per_ms: 200.0,
        }
    }
}

impl RttModel {
    /// The great-circle distance whose estimated round-trip time is `rtt_ms`.
    pub fn distance_km(self, rtt_ms: f64) -> f64 {
        rtt_ms * self.fibre_km_per_ms / (2.0 * self.route_stretch)
    }

    /// The estimated round-trip time over a great-circle distance of `km`.
    pub fn rtt_ms(self, km: f64) -> f64 {
        2.0 * self.route_stretch * km / self.fibre_km_per_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn great_circle_distances() {
        // London (51.5074, -0.1278) to New York (40.7128, -74.0060): about 5,570 km.
        let km = great_circle_km(51.5074, -0.1278, 40.7128, -74.0060);
        assert!((km - 5570.0).abs() < 10.0, "{km}");
        // A quarter of a meridian, by hand: pi / 2 x R.
        let quarter = great_circle_km(0.0, 0.0, 90.0, 0.0);
        assert!((quarter - std::f64::consts::FRAC_PI_2 * EARTH_RADIUS_KM).abs() < 1e-6);
        assert_eq!(great_circle_km(10.0, 20.0, 10.0, 20.0), 0.0);
        // 30 ms round trip: 30 x 200 / 3 = 2,000 km.
        let model = RttModel::default();
        assert_eq!(model.distance_km(30.0), 2000.0);
        assert_eq!(model.rtt_ms(2000.0), 30.0);
        // Straight fibre at the speed of light in vacuum: 2 x 2,000 / 299.79 = 13.3 ms.
        let straight = RttModel {
            route_stretch: 1.0,
            fibre_km_per_ms: 299.792458,
        };
        assert!((straight.rtt_ms(2000.0) - 13.342564).abs() < 1e-6);
    }
}
