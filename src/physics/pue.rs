//! Power usage effectiveness (facility energy / server energy): constant, or rising linearly with
//! outside temperature above a threshold (more cooling work on hot hours).

use serde::Deserialize;

/// A data center's PUE model.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, serde::Serialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Pue {
    /// The same every hour.
    Constant {
        /// PUE (>= 1).
        value: f64,
    },
    /// `base` at or below `threshold_c`, plus `per_degree_c` for every °C of dry bulb above it.
    Temperature {
        /// PUE at or below the threshold (>= 1).
        base: f64,
        /// Dry-bulb temperature, °C, above which PUE rises.
        threshold_c: f64,
        /// PUE added per °C above the threshold (>= 0).
        per_degree_c: f64,
    },
}

impl Pue {
    /// PUE at outside dry-bulb temperature `dry_bulb_c`.
    pub fn at(&self, dry_bulb_c: f64) -> f64 {
        match *self {
            Pue::Constant { value } => value,
            Pue::Temperature {
                base,
                threshold_c,
                per_degree_c,
            } => base + per_degree_c * (dry_bulb_c - threshold_c).max(0.0),
        }
    }

    /// Checks the parameters; says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let (base, slope, threshold) = match *self {
            Pue::Constant { value } => (value, 0.0, 0.0),
            Pue::Temperature {
                base,
                per_degree_c,
                threshold_c,
            } => (base, per_degree_c, threshold_c),
        };
        if !(base.is_finite() && base >= 1.0 && slope.is_finite() && slope >= 0.0 && threshold.is_finite()) {
            return Err(format!(
                "PUE must be >= 1 and rise by >= 0 per degree above a finite threshold, got {self:?}"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_and_temperature_dependent() {
        assert_eq!(Pue::Constant { value: 1.1 }.at(40.0), 1.1);
        let pue = Pue::Temperature {
            base: 1.1,
            threshold_c: 20.0,
            per_degree_c: 0.01,
        };
        assert_eq!(pue.at(5.0), 1.1);
        assert!((pue.at(30.0) - 1.2).abs() < 1e-12);
        assert!(Pue::Constant { value: 0.9 }.validate().is_err());
        assert!(pue.validate().is_ok());
    }
}
