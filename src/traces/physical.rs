//! The physical trace formats of `traces/2022/`: hourly weather, grid carbon intensity,
//! electricity prices and fuel mix per region, in long format (`timestamp_utc,<key>,...`, one row
//! per hour and region, plain or gzip CSV), plus annual generation shares and per-fuel factors.
//!
//! Every region of a file must cover the same gap-free UTC hours; numbers must be finite, and
//! non-negative where negativity is impossible. Errors name the file and line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::anomalies::{self, Anomaly};
use super::{next_hour, number, open, parse_hour, row, row_error};
use crate::error::{Error, Result, listed};
use crate::physics::grid::{FUELS, FuelFactors};

/// The physical trace files of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhysicalPaths {
    /// Hourly weather per region (dry bulb, humidity, elevation).
    pub weather: PathBuf,
    /// Hourly grid carbon intensity per zone.
    pub carbon: PathBuf,
    /// Hourly electricity prices per region, native currency.
    pub prices: PathBuf,
    /// Hourly generation by fuel per balancing authority, if given.
    pub fuel_mix: Option<PathBuf>,
    /// Annual generation shares per zone, if given.
    pub mix_shares: Option<PathBuf>,
    /// Per-fuel water and carbon factors.
    pub fuel_factors: PathBuf,
}

impl PhysicalPaths {
    /// Every file named, in field order.
    pub fn paths(&self) -> Vec<PathBuf> {
        let mut paths = vec![self.weather.clone(), self.carbon.clone(), self.prices.clone()];
        paths.extend(self.fuel_mix.iter().chain(&self.mix_shares).cloned());
        paths.push(self.fuel_factors.clone());
        paths
    }
}

/// A long-format hourly file read into one series per key (region, zone or balancing authority).
#[derive(Debug, Clone)]
pub struct LongTable {
    /// Where it was read from.
    pub path: PathBuf,
    /// The hours every key covers, consecutive, UTC.
    pub hours: Vec<DateTime<Utc>>,
    /// Keys in order of first appearance.
    pub keys: Vec<String>,
    /// Each key's index in `keys`.
    key_index: HashMap<String, usize>,
    columns: Vec<String>,
    /// `values[key][column][hour]`.
    values: Vec<Vec<Vec<f64>>>,
    text_columns: Vec<String>,
    /// `text[key][column]`: the value of a text column, the same on every row of a key.
    text: Vec<Vec<String>>,
}

/// A numeric column to read: its name, and whether negative values are allowed.
pub type NumericColumn<'a> = (&'a str, bool);

impl LongTable {
    /// A table of `path` with these columns and no rows yet.
    fn empty(path: &Path, numeric: &[NumericColumn], text: &[&str]) -> LongTable {
        LongTable {
            path: path.to_path_buf(),
            hours: Vec::new(),
            keys: Vec::new(),
            key_index: HashMap::new(),
            columns: numeric.iter().map(|(c, _)| c.to_string()).collect(),
            values: Vec::new(),
            text_columns: text.iter().map(|c| c.to_string()).collect(),
            text: Vec::new(),
        }
    }

    /// Reads `path`: the time (`timestamp_utc` or `hour_utc`), the key in `key_column`, and the
    /// `numeric` and `text` columns, wherever they are in the header (other columns are ignored).
    pub fn read(
        path: &Path,
        key_column: &str,
        numeric: &[NumericColumn],
        text: &[&str],
    ) -> Result<LongTable> {
        let mut reader = open(path)?;
        let wanted: Vec<&str> = ["timestamp_utc", key_column]
            .into_iter()
            .chain(numeric.iter().map(|(c, _)| *c))
            .chain(text.iter().copied())
            .collect();
        let at = super::find_columns(path, &mut reader, &wanted)?;
        let (time_at, key_at) = (at[0], at[1]);
        let (numeric_at, text_at) = at[2..].split_at(numeric.len());
        let mut table = LongTable::empty(path, numeric, text);
        let mut hours: Vec<Vec<DateTime<Utc>>> = Vec::new();
        for record in reader.records() {
            let (line, record) = row(path, record)?;
            let row_err = row_error(path, line);
            let hour = parse_hour(&record[time_at]).map_err(row_err)?;
            let key = record.get(key_at).unwrap_or("").trim();
            if key.is_empty() {
                return Err(row_err(format!("empty `{key_column}`")));
            }
            let k = match table.key_index.get(key) {
                Some(&k) => k,
                None if table.keys.len() == super::MAX_KEYS => {
                    return Err(row_err(format!(
                        "more than {} values of `{key_column}`",
                        super::MAX_KEYS
                    )));
                }
                None => {
                    table.key_index.insert(key.to_string(), table.keys.len());
                    table.keys.push(key.to_string());
                    table.values.push(vec![Vec::new(); numeric.len()]);
                    table
                        .text
                        .push(text_at.iter().map(|&c| record[c].to_string()).collect());
                    hours.push(Vec::new());
                    table.keys.len() - 1
                }
            };
            next_hour(&hours[k], hour, &format!("{key_column} `{key}`")).map_err(row_err)?;
            hours[k].push(hour);
            for (c, (&at, &(name, negative_ok))) in numeric_at.iter().zip(numeric).enumerate() {
                let value = number(&record[at], name, negative_ok).map_err(row_err)?;
                table.values[k][c].push(value);
            }
            for (c, &at) in text_at.iter().enumerate() {
                if record[at] != table.text[k][c] {
                    return Err(row_err(format!(
                        "`{}` is `{}` here but `{}` earlier for {key_column} `{key}`",
                        text[c], &record[at], table.text[k][c]
                    )));
                }
            }
        }
        if table.keys.is_empty() {
            return Err(Error::file(path, "no data rows"));
        }
        if let Some(k) = (1..hours.len()).find(|&k| hours[k] != hours[0]) {
            return Err(Error::file(
                path,
                format!(
                    "{key_column} `{}` covers {} hours, `{}` covers {}: every {key_column} needs the same hours",
                    table.keys[k],
                    hours[k].len(),
                    table.keys[0],
                    hours[0].len()
                ),
            ));
        }
        table.hours = hours.swap_remove(0);
        Ok(table)
    }

    /// The index of `key`, or an error naming the file, the scenario field and the keys present.
    pub fn key(&self, key: &str, field: &str) -> Result<usize> {
        self.key_index.get(key).copied().ok_or_else(|| {
            Error::file(
                &self.path,
                format!(
                    "has no rows for `{key}` (named by {field}); it holds: {}",
                    listed(&self.keys, ", ")
                ),
            )
        })
    }

    /// The hourly series of numeric `column` for key index `k`.
    pub fn series(&self, k: usize, column: &str) -> &[f64] {
        let c = self
            .columns
            .iter()
            .position(|c| c == column)
            .expect("a column read by LongTable::read");
        &self.values[k][c]
    }

    /// Every numeric series of key index `k`, in column order, to change in place.
    fn series_mut(&mut self, k: usize) -> &mut [Vec<f64>] {
        &mut self.values[k]
    }

    /// The value of text `column` for key index `k`.
    pub fn text(&self, k: usize, column: &str) -> &str {
        let c = self
            .text_columns
            .iter()
            .position(|c| c == column)
            .expect("a column read by LongTable::read");
        &self.text[k][c]
    }
}

/// The weather file's columns: dry bulb, relative humidity, site elevation and coordinates.
pub const WEATHER_COLUMNS: [NumericColumn; 5] = [
    ("temp_c", true),
    ("rh_pct", false),
    ("elevation_m", true),
    ("lat", true),
    ("lon", true),
];

/// The carbon file's columns: direct (operational) and life-cycle grid intensity, g CO2e/kWh.
pub const CARBON_COLUMNS: [NumericColumn; 2] = [
    ("ci_direct_gco2eq_per_kwh", false),
    ("ci_lca_gco2eq_per_kwh", false),
];

/// The price file's column, in the currency of its `currency` column; prices may be negative.
pub const PRICE_COLUMN: NumericColumn = ("price_native_per_mwh", true);

/// The fuel-mix file's columns, net generation in MW, in the order of [`FUELS`].
pub const FUEL_MIX_COLUMNS: [NumericColumn; 8] = [
    ("coal_mw", true),
    ("natural_gas_mw", true),
    ("nuclear_mw", true),
    ("oil_mw", true),
    ("other_mw", true),
    ("solar_mw", true),
    ("hydro_mw", true),
    ("wind_mw", true),
];

/// One zone's annual generation shares (fractions; a blank cell is 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnnualShares {
    /// Hydro share.
    pub hydro: f64,
    /// Solar share.
    pub solar: f64,
    /// Wind share.
    pub wind: f64,
    /// Nuclear share.
    pub nuclear: f64,
    /// All fossil fuels together (not split by fuel).
    pub fossil: f64,
}

const SHARE_COLUMNS: [&str; 6] = [
    "zone",
    "hydro_share",
    "solar_share",
    "wind_share",
    "nuclear_share",
    "fossil_share",
];

/// Reads the annual generation shares file: `zone,hydro_share,solar_share,wind_share,
/// nuclear_share,fossil_share`; each row's shares must sum to 1 within 1 %.
pub fn read_annual_shares(path: &Path) -> Result<Vec<(String, AnnualShares)>> {
    let mut reader = open(path)?;
    let at = super::find_columns(path, &mut reader, &SHARE_COLUMNS)?;
    let mut zones = Vec::new();
    for record in reader.records() {
        let (line, record) = row(path, record)?;
        let row_err = row_error(path, line);
        let share = |c: usize| match &record[at[c]] {
            "" => Ok(0.0),
            text => number(text, SHARE_COLUMNS[c], false),
        };
        let shares = AnnualShares {
            hydro: share(1).map_err(row_err)?,
            solar: share(2).map_err(row_err)?,
            wind: share(3).map_err(row_err)?,
            nuclear: share(4).map_err(row_err)?,
            fossil: share(5).map_err(row_err)?,
        };
        let sum = shares.hydro + shares.solar + shares.wind + shares.nuclear + shares.fossil;
        if (sum - 1.0).abs() > 0.01 {
            return Err(row_err(format!("the shares sum to {sum:.4}; expected 1")));
        }
        let zone = &record[at[0]];
        if zones.iter().any(|(z, _)| z == zone) {
            return Err(row_err(format!("zone `{zone}` appears twice")));
        }
        zones.push((zone.to_string(), shares));
    }
    Ok(zones)
}

const FACTOR_COLUMNS: [&str; 5] = [
    "eia_fuel_code",
    "fuel",
    "ewif_gal_per_mwh",
    "ewif_l_per_kwh",
    "carbon_g_per_kwh",
];

/// Reads per-fuel factors: one row per fuel of [`FUELS`] (by the `fuel` column, any order), with
/// `ewif_l_per_kwh` and `carbon_g_per_kwh`.
pub fn read_fuel_factors(path: &Path) -> Result<FuelFactors> {
    let mut reader = open(path)?;
    let at = super::find_columns(path, &mut reader, &FACTOR_COLUMNS)?;
    let mut seen = [false; 8];
    let mut factors = FuelFactors {
        ewif_l_per_kwh: [0.0; 8],
        carbon_g_per_kwh: [0.0; 8],
    };
    for record in reader.records() {
        let (line, record) = row(path, record)?;
        let row_err = row_error(path, line);
        let fuel = &record[at[1]];
        let f = FUELS
            .iter()
            .position(|f| *f == fuel)
            .ok_or_else(|| row_err(format!("fuel `{}` is not one of: {}", fuel, FUELS.join(", "))))?;
        if seen[f] {
            return Err(row_err(format!("fuel `{}` appears twice", FUELS[f])));
        }
        seen[f] = true;
        factors.ewif_l_per_kwh[f] = number(&record[at[3]], FACTOR_COLUMNS[3], false).map_err(row_err)?;
        factors.carbon_g_per_kwh[f] = number(&record[at[4]], FACTOR_COLUMNS[4], false).map_err(row_err)?;
    }
    if let Some(f) = seen.iter().position(|s| !s) {
        return Err(Error::file(path, format!("no row for fuel `{}`", FUELS[f])));
    }
    Ok(factors)
}

/// The anomalies of every balancing authority of a fuel-mix table, in key order.
fn fuel_mix_anomalies(table: &LongTable) -> Vec<Vec<Anomaly>> {
    let names: Vec<&str> = FUEL_MIX_COLUMNS.iter().map(|(c, _)| *c).collect();
    (0..table.keys.len())
        .map(|k| {
            let generation: Vec<&[f64]> = names.iter().map(|c| table.series(k, c)).collect();
            anomalies::anomalies(&generation, &names)
        })
        .collect()
}

/// The physical traces of a scenario, read and checked.
#[derive(Debug, Clone)]
pub struct PhysicalTraces {
    /// Weather per region.
    pub weather: LongTable,
    /// Grid carbon intensity per zone.
    pub carbon: LongTable,
    /// Prices per region.
    pub prices: LongTable,
    /// Generation by fuel per balancing authority, if given.
    pub fuel_mix: Option<LongTable>,
    /// The anomalies of each balancing authority's fuel mix (indexed like its keys).
    pub fuel_mix_anomalies: Vec<Vec<Anomaly>>,
    /// The fuel mix with its anomalies interpolated, if given.
    pub fuel_mix_repaired: Option<LongTable>,
    /// Annual generation shares per zone, if given.
    pub mix_shares: Vec<(String, AnnualShares)>,
    /// Per-fuel factors.
    pub fuel_factors: FuelFactors,
}

impl PhysicalTraces {
    /// Reads the physical traces named in `files` and checks that the hourly ones cover the
    /// same hours.
    pub fn read(files: &PhysicalPaths) -> Result<PhysicalTraces> {
        let weather = LongTable::read(&files.weather, "region", &WEATHER_COLUMNS, &[])?;
        let carbon = LongTable::read(&files.carbon, "zone", &CARBON_COLUMNS, &[])?;
        let prices = LongTable::read(&files.prices, "region", &[PRICE_COLUMN], &["currency"])?;
        let fuel_mix = match &files.fuel_mix {
            Some(path) => Some(LongTable::read(path, "ba", &FUEL_MIX_COLUMNS, &[])?),
            None => None,
        };
        let mix_shares = match &files.mix_shares {
            Some(path) => read_annual_shares(path)?,
            None => Vec::new(),
        };
        let fuel_factors = read_fuel_factors(&files.fuel_factors)?;
        for table in [&carbon, &prices].into_iter().chain(fuel_mix.as_ref()) {
            if table.hours != weather.hours {
                return Err(Error::file(
                    &table.path,
                    format!(
                        "covers {} hours from {}, but {} covers {} hours from {}: physical traces must cover the same hours",
                        table.hours.len(),
                        super::format_hour(&table.hours[0]),
                        weather.path.display(),
                        weather.hours.len(),
                        super::format_hour(&weather.hours[0])
                    ),
                ));
            }
        }
        for k in 0..weather.keys.len() {
            if let Some(t) = weather.series(k, "rh_pct").iter().position(|&rh| rh > 100.0) {
                return Err(Error::file(
                    &weather.path,
                    format!(
                        "region `{}` at {}: rh_pct above 100",
                        weather.keys[k],
                        super::format_hour(&weather.hours[t])
                    ),
                ));
            }
        }
        let fuel_mix_anomalies: Vec<Vec<Anomaly>> = fuel_mix.iter().flat_map(fuel_mix_anomalies).collect();
        let fuel_mix_repaired = fuel_mix.clone().map(|mut table| {
            for (k, anomalies) in fuel_mix_anomalies.iter().enumerate() {
                anomalies::interpolate(table.series_mut(k), anomalies);
            }
            table
        });
        Ok(PhysicalTraces {
            weather,
            carbon,
            prices,
            fuel_mix,
            fuel_mix_anomalies,
            fuel_mix_repaired,
            mix_shares,
            fuel_factors,
        })
    }
}
