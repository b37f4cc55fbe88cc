//! Sweep axes: a swept scenario key and its values, from `[sweep.axes]` (a list, or a linear or
//! log range with exact endpoints) or `--axis KEY=V1,V2,...`, and the cartesian product of axes.
//! An axis may set several keys to the same value, linked by `+`
//! (`"policy.rhc.window+policy.afhc.window" = [6, 24]`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::scenario::parse_value;

/// The most values an axis may have.
pub const MAX_AXIS_VALUES: usize = 100_000;
/// The most runs a sweep may have (the product of its axes' lengths, checked before expanding).
pub const MAX_SWEEP_RUNS: usize = 1_000_000;

/// One swept scenario key (or several linked by `+`) and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// Dotted scenario key, as for `--set`; linked keys joined by `+` (the `sweep.csv` column).
    pub key: String,
    /// The values, in order.
    pub values: Vec<toml::Value>,
}

impl Axis {
    /// The scenario keys the axis sets (one, or those it links).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.key.split('+')
    }

    /// The `--set` overrides that give run values `value`.
    pub fn overrides(&self, value: &toml::Value) -> Vec<String> {
        self.keys().map(|key| format!("{key}={value}")).collect()
    }

    /// An axis from a `[sweep.axes]` entry: a list, or `{ from, to, steps, log = false }`.
    pub fn from_spec(key: &str, spec: &toml::Value) -> std::result::Result<Axis, String> {
        let key = linked_key(key)?;
        let values = match spec {
            toml::Value::Array(values) if !values.is_empty() => values.clone(),
            toml::Value::Table(range) => {
                // A linear range between integers with a whole step stays integer (for keys
                // such as `horizon.hours`); anything else is a float.
                let log = matches!(range.get("log"), Some(toml::Value::Boolean(true)));
                let integers = !log
                    && ["from", "to"]
                        .iter()
                        .all(|k| matches!(range.get(*k), Some(toml::Value::Integer(_))));
                let values = range_values(range)?;
                if integers && values.iter().all(|v| v.fract() == 0.0) {
                    values
                        .into_iter()
                        .map(|v| toml::Value::Integer(v as i64))
                        .collect()
                } else {
                    values.into_iter().map(toml::Value::Float).collect()
                }
            }
            _ => return Err("expected a non-empty list of values or { from, to, steps, log }".into()),
        };
        Ok(Axis { key, values })
    }

    /// An axis from `--axis KEY=V1,V2,...` (each value read as for `--set`) or
    /// `--axis KEY=FROM:TO:STEPS[:log]` (a range, as `{ from, to, steps, log }` in a scenario).
    pub fn parse_cli(text: &str) -> Result<Axis> {
        let err = |msg: &str| Error::Override {
            key: text.to_string(),
            msg: format!("--axis: {msg}"),
        };
        let (key, values) = text
            .split_once('=')
            .ok_or_else(|| err("expected KEY=V1,V2,..."))?;
        if let Some(range) = cli_range(values) {
            return Axis::from_spec(key, &toml::Value::Table(range)).map_err(|msg| err(&msg));
        }
        let key = linked_key(key).map_err(|msg| err(&msg))?;
        if values.split(',').nth(MAX_AXIS_VALUES).is_some() {
            return Err(err(&format!("more than {MAX_AXIS_VALUES} values")));
        }
        let values: Vec<toml::Value> = values.split(',').map(|v| parse_value(v.trim())).collect();
        if values.iter().any(|v| v.as_str() == Some("")) {
            return Err(err("empty value"));
        }
        Ok(Axis { key, values })
    }
}

/// A key, or keys linked by `+`, trimmed; an empty key or a key linked twice is an error.
fn linked_key(text: &str) -> std::result::Result<String, String> {
    let keys: Vec<&str> = text.split('+').map(str::trim).collect();
    if keys.iter().any(|k| k.is_empty()) {
        return Err(format!(
            "`{text}`: expected a scenario key, or keys linked by `+`"
        ));
    }
    if let Some(twice) = keys.iter().enumerate().find(|(i, k)| keys[..*i].contains(k)) {
        return Err(format!("`{text}` links `{}` twice", twice.1));
    }
    Ok(keys.join("+"))
}

/// `FROM:TO:STEPS[:log]` as a range table, if `text` is one (numbers, an integer step count);
/// anything else (a list, a time such as `2022-07-01T00:00:00Z`) is not.
fn cli_range(text: &str) -> Option<toml::Table> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    let (bounds, log) = match parts[..] {
        [from, to, steps] => ([from, to, steps], false),
        [from, to, steps, "log"] => ([from, to, steps], true),
        _ => return None,
    };
    let values: Vec<toml::Value> = bounds.iter().map(|p| parse_value(p.trim())).collect();
    let numeric = values[..2].iter().all(|v| v.is_integer() || v.is_float()) && values[2].is_integer();
    if !numeric {
        return None;
    }
    let mut range = toml::Table::new();
    for (key, value) in ["from", "to", "steps"].into_iter().zip(values) {
        range.insert(key.into(), value);
    }
    if log {
        range.insert("log".into(), toml::Value::Boolean(true));
    }
    Some(range)
}

/// `from + i x step` for `i` in `0..steps` (or geometric with `log = true`), endpoints exact.
fn range_values(range: &toml::Table) -> std::result::Result<Vec<f64>, String> {
    if let Some(extra) = range
        .keys()
        .find(|k| !["from", "to", "steps", "log"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown range key `{extra}`; expected from, to, steps, log"
        ));
    }
    let number = |name: &str| match range.get(name) {
        Some(toml::Value::Float(v)) => Ok(*v),
        Some(toml::Value::Integer(v)) => Ok(*v as f64),
        _ => Err(format!("range needs a number `{name}`")),
    };
    let (from, to) = (number("from")?, number("to")?);
    let steps = match range.get("steps") {
        Some(toml::Value::Integer(n)) if (1..=MAX_AXIS_VALUES as i64).contains(n) => *n as usize,
        _ => {
            return Err(format!(
                "range needs an integer `steps` from 1 to {MAX_AXIS_VALUES} (the number of values)"
            ));
        }
    };
    let log = match range.get("log") {
        None => false,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => return Err("`log` must be true or false".into()),
    };
    if log && (from <= 0.0 || to <= 0.0) {
        return Err("a log range needs from > 0 and to > 0".into());
    }
    let at = |i: usize| {
        if steps == 1 {
            return from;
        }
        if i == steps - 1 {
            return to;
        }
        let f = i as f64 / (steps - 1) as f64;
        if log {
            from * (to / from).powf(f)
        } else {
            from + i as f64 * (to - from) / (steps - 1) as f64
        }
    };
    Ok((0..steps).map(at).collect())
}

/// The number of runs `axes` make, or an error if it is above [`MAX_SWEEP_RUNS`] (or an axis is
/// longer than [`MAX_AXIS_VALUES`]).
pub fn count_runs(axes: &[Axis]) -> std::result::Result<usize, String> {
    let mut runs: usize = 1;
    for axis in axes {
        if axis.values.len() > MAX_AXIS_VALUES {
            return Err(format!(
                "axis `{}` has {} values; at most {MAX_AXIS_VALUES}",
                axis.key,
                axis.values.len()
            ));
        }
        runs = runs.saturating_mul(axis.values.len());
    }
    if runs > MAX_SWEEP_RUNS {
        return Err(format!(
            "the axes make {runs} runs; a sweep may have at most {MAX_SWEEP_RUNS} (split it into several sweeps)"
        ));
    }
    Ok(runs)
}

/// Every combination of axis values, the last axis varying fastest.
pub fn cartesian(axes: &[Axis]) -> Vec<Vec<toml::Value>> {
    axes.iter().fold(vec![Vec::new()], |combos, axis| {
        combos
            .into_iter()
            .flat_map(|prefix| {
                axis.values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect()
    })
}

/// The value of axis `key` as a CSV cell, in one form per key whatever was typed: numbers of an
/// integer key ([`INTEGER_KEYS`]) as integers, every other number as a float (`30` and `30.0`
/// are both `30.0`), so sweeps of the same axis concatenate; strings bare; anything else as TOML
/// writes it.
pub fn cell_text(key: &str, value: &toml::Value) -> String {
    let integer_key = INTEGER_KEYS.contains(&key.rsplit('.').next().unwrap_or(key));
    let number = match value {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    };
    match (number, value) {
        (Some(v), _) if integer_key && v.fract() == 0.0 => format!("{}", v as i64),
        (Some(v), _) => crate::output::number_text(Some(v)),
        (None, toml::Value::String(s)) => s.clone(),
        (None, _) => value.to_string(),
    }
}

/// The scenario keys (last part of a dotted key) whose values are integers; every other number
/// in a scenario is a float.
pub const INTEGER_KEYS: &[&str] = &[
    "hours",
    "seed",
    "steps",
    "trace_utc_offset_h",
    "utc_offset_h",
    "window",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_and_log_ranges_hit_their_endpoints() {
        let table = |text: &str| toml::from_str::<toml::Table>(text).unwrap();
        assert_eq!(
            range_values(&table("from = 0\nto = 1\nsteps = 5")).unwrap(),
            [0.0, 0.25, 0.5, 0.75, 1.0]
        );
        let log = range_values(&table("from = 6\nto = 600\nsteps = 3\nlog = true")).unwrap();
        assert_eq!(log[0], 6.0);
        assert!((log[1] - 60.0).abs() < 1e-12);
        assert_eq!(log[2], 600.0);
        assert_eq!(
            range_values(&table("from = 3\nto = 9\nsteps = 1")).unwrap(),
            [3.0]
        );
        assert!(range_values(&table("from = 0\nto = 1\nsteps = 0")).is_err());
        assert!(range_values(&table("from = 0\nto = 1\nsteps = 2\nlog = true")).is_err());
        assert!(range_values(&table("from = 0\nto = 1\nstep = 2")).is_err());
    }

    #[test]
    fn cli_ranges_read_as_scenario_ranges() {
        let axis = Axis::parse_cli("equity.water_usd_per_m3=0:100:5").unwrap();
        let values: Vec<f64> = axis
            .values
            .iter()
            .map(|v| v.as_float().or(v.as_integer().map(|i| i as f64)).unwrap())
            .collect();
        assert_eq!(values, [0.0, 25.0, 50.0, 75.0, 100.0]);
        let hours = Axis::parse_cli("horizon.hours=24:72:3").unwrap();
        assert_eq!(hours.values, [24, 48, 72].map(toml::Value::Integer));
        let log = Axis::parse_cli("policy.eglb-online.step_size=1e-6:1e-2:5:log").unwrap();
        assert!((log.values[2].as_float().unwrap() - 1e-4).abs() < 1e-15);
        let times = Axis::parse_cli("horizon.start=2022-01-01T00:00:00Z,2022-07-01T00:00:00Z").unwrap();
        assert_eq!(times.values.len(), 2, "a time is not a range");
        assert!(Axis::parse_cli("x=0:1:0").is_err(), "0 steps");
    }

    #[test]
    fn axis_cells_have_one_form_per_key() {
        let water = "equity.water_usd_per_m3";
        assert_eq!(cell_text(water, &toml::Value::Integer(30)), "30.0");
        assert_eq!(cell_text(water, &toml::Value::Float(30.0)), "30.0");
        assert_eq!(cell_text(water, &toml::Value::Float(0.1)), "0.1");
        assert_eq!(cell_text("horizon.hours", &toml::Value::Integer(24)), "24");
        assert_eq!(cell_text("horizon.hours", &toml::Value::Float(24.0)), "24");
        assert_eq!(cell_text("routing", &toml::Value::String("full".into())), "full");
        assert_eq!(cell_text("x", &toml::Value::Boolean(true)), "true");
    }

    #[test]
    fn linked_keys_set_every_key_to_the_value() {
        let axis = Axis::parse_cli("policy.rhc.window + policy.afhc.window=6,24").unwrap();
        assert_eq!(axis.key, "policy.rhc.window+policy.afhc.window");
        assert_eq!(
            axis.overrides(&axis.values[1]),
            ["policy.rhc.window=24", "policy.afhc.window=24"]
        );
        let spec = toml::Value::Array(vec![toml::Value::Integer(1)]);
        assert_eq!(
            Axis::from_spec("a+b", &spec).unwrap().keys().collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(
            Axis::from_spec("a+", &spec)
                .unwrap_err()
                .contains("keys linked by `+`")
        );
        assert!(
            Axis::from_spec("a+b+a", &spec)
                .unwrap_err()
                .contains("links `a` twice")
        );
        assert!(Axis::parse_cli("=1,2").is_err());
    }

    #[test]
    fn cartesian_product_varies_the_last_axis_fastest() {
        let axis = |key: &str, values: &[i64]| Axis {
            key: key.into(),
            values: values.iter().map(|&v| toml::Value::Integer(v)).collect(),
        };
        let combos = cartesian(&[axis("a", &[1, 2]), axis("b", &[10, 20, 30])]);
        let flat: Vec<(i64, i64)> = combos
            .iter()
            .map(|c| (c[0].as_integer().unwrap(), c[1].as_integer().unwrap()))
            .collect();
        assert_eq!(flat, [(1, 10), (1, 20), (1, 30), (2, 10), (2, 20), (2, 30)]);
    }
}
