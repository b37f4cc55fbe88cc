//! The full-year physical scenario (`scenarios/global-2022.toml`): every derived intensity is
//! finite and physically plausible, agrees with the raw trace files read here independently of
//! the crate's readers, the annual off-site water follows the generation shares by hand, the
//! result files split carbon and water into parts that add up, and the synthetic workload is
//! seeded, scaled and shaped in each gateway's local time.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fairglb::build::TraceCache;
use fairglb::build::demand::gateway_demand_mw;
use fairglb::build::intensity::{self, Site};
use fairglb::model::Problem;
use fairglb::physics::grid::{FUELS, FuelFactors};
use fairglb::scenario::{DemandModel, Intensities, PhysicalSpec, Scenario};
use fairglb::traces;
use fairglb::traces::physical::{self, PhysicalTraces};

use crate::util::*;

fn global_path() -> PathBuf {
    repo().join("scenarios/global-2022.toml")
}

/// The physics of a physical scenario.
fn physics(scenario: &Scenario) -> &PhysicalSpec {
    match &scenario.intensities {
        Intensities::Physical(spec) => spec,
        Intensities::Precomputed { .. } => panic!("not a physical scenario"),
    }
}

/// The year scenario, loaded once for every test of this module.
struct Year {
    scenario: Scenario,
    cache: TraceCache,
    sites: Vec<Site>,
    problem: Problem,
}

impl Year {
    fn traces(&self) -> &PhysicalTraces {
        self.cache.physical(&self.scenario).expect("a physical scenario")
    }

    fn site(&self, dc: &str) -> &Site {
        self.sites
            .iter()
            .find(|s| s.dc == dc)
            .unwrap_or_else(|| panic!("no site {dc}"))
    }

    /// The region key of data center `dc` in the trace files.
    fn region(&self, dc: &str) -> &str {
        let d = self.scenario.fleet.dcs.iter().position(|d| d == dc).unwrap();
        &physics(&self.scenario).sites[d].region
    }

    fn gateway(&self, name: &str) -> usize {
        self.problem
            .fleet
            .gateways
            .iter()
            .position(|g| g == name)
            .unwrap_or_else(|| panic!("no gateway {name}"))
    }
}

fn year() -> &'static Year {
    static YEAR: OnceLock<Year> = OnceLock::new();
    YEAR.get_or_init(|| {
        let scenario = Scenario::load(&global_path(), &[]).unwrap();
        let mut cache = TraceCache::default();
        cache.preload(&scenario).unwrap();
        let sites =
            intensity::derive(&scenario, physics(&scenario), cache.physical(&scenario).unwrap()).unwrap();
        let problem = cache.problem(&scenario).unwrap();
        Year {
            scenario,
            cache,
            sites,
            problem,
        }
    })
}

/// A gzip CSV of `traces/2022/`, read with flate2 and csv directly (not the crate's readers),
/// grouped by its key column in file order.
struct Raw {
    header: csv::StringRecord,
    by_key: HashMap<String, Vec<csv::StringRecord>>,
}

impl Raw {
    fn read(file: &str, key: &str) -> Raw {
        let path = repo().join("traces/2022").join(file);
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().unwrap().clone();
        let k = header.iter().position(|h| h == key).unwrap();
        let mut by_key: HashMap<String, Vec<csv::StringRecord>> = HashMap::new();
        for record in reader.records() {
            let record = record.unwrap();
            by_key.entry(record[k].to_string()).or_default().push(record);
        }
        Raw { header, by_key }
    }

    /// The rows of `key`, asserting they are the scenario's hours in order.
    fn rows(&self, key: &str, hours: &[String]) -> &[csv::StringRecord] {
        let rows = &self.by_key[key];
        assert_eq!(rows.len(), hours.len(), "{key}");
        for (row, hour) in rows.iter().zip(hours) {
            assert_eq!(&row[0], hour, "{key}: rows out of order");
        }
        rows
    }

    fn num(&self, row: &csv::StringRecord, column: &str) -> f64 {
        let c = self.header.iter().position(|h| h == column).unwrap();
        row[c].parse().unwrap()
    }

    fn text<'r>(&self, row: &'r csv::StringRecord, column: &str) -> &'r str {
        let c = self.header.iter().position(|h| h == column).unwrap();
        &row[c]
    }
}

struct RawFiles {
    weather: Raw,
    carbon: Raw,
    prices: Raw,
    fuel_mix: Raw,
}

fn raw() -> &'static RawFiles {
    static RAW: OnceLock<RawFiles> = OnceLock::new();
    RAW.get_or_init(|| RawFiles {
        weather: Raw::read("weather_2022_hourly.csv.gz", "region"),
        carbon: Raw::read("carbon_2022_hourly.csv.gz", "zone"),
        prices: Raw::read("prices_2022_hourly.csv.gz", "region"),
        fuel_mix: Raw::read("eia930_fuelmix_2022_hourly.csv.gz", "ba"),
    })
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// The per-fuel factors of the paper, L/kWh, by name (traces/2022/fuel_factors_paper.csv:
/// Macknick et al. gal/MWh x 3.785412 / 1000).
fn ewif_of(fuel: &str) -> f64 {
    match fuel {
        "coal" => 1.7034,
        "natural gas" => 1.1356,
        "nuclear" => 2.2712,
        "oil" => 1.3249,
        "other" => 1.7981,
        "solar" | "hydro" | "wind" => 0.0,
        _ => panic!("{fuel}"),
    }
}

#[test]
fn year_intensities_are_finite_and_physically_plausible() {
    let y = year();
    let p = &y.problem;
    assert_eq!(p.n_hours(), 8760);
    assert_eq!(p.hours[0], "2022-01-01T00:00:00Z");
    assert_eq!(p.hours[8759], "2022-12-31T23:00:00Z");
    assert_eq!(y.sites.len(), 10);
    let onsite = p
        .water_onsite_l_per_kwh
        .as_ref()
        .expect("physical traces split water");
    let max_ewif = FuelFactors::PAPER
        .ewif_l_per_kwh
        .iter()
        .cloned()
        .fold(0.0, f64::max);
    assert_eq!(max_ewif, 2.2712, "nuclear has the largest EWIF");
    let embodied = p.carbon_embodied_kg_per_kwh;
    let traces = y.traces();
    for (d, s) in y.sites.iter().enumerate() {
        assert_eq!(p.fleet.dcs[d], s.dc);
        let w = traces.weather.key(y.region(&s.dc), "test").unwrap();
        let dry = traces.weather.series(w, "temp_c");
        for t in 0..8760 {
            let at = format!("{} at {}", s.dc, p.hours[t]);
            let wb = s.wet_bulb_c[t];
            assert!((-40.0..=35.0).contains(&wb), "wet bulb {wb} °C, {at}");
            assert!(
                wb <= dry[t] + 1e-9,
                "wet bulb {wb} above dry bulb {}, {at}",
                dry[t]
            );
            let wue = s.wue_l_per_kwh[t];
            assert!((0.0..=10.0).contains(&wue), "WUE {wue}, {at}");
            let ewif = s.ewif_l_per_kwh[t];
            // A generation-weighted mean of per-fuel factors is at most the largest factor.
            assert!((0.0..=max_ewif + 1e-12).contains(&ewif), "EWIF {ewif}, {at}");
            let pue = s.pue[t];
            assert!(pue.is_finite() && pue >= 1.0, "PUE {pue}, {at}");
            let grid = s.grid_carbon_kg_per_kwh[t];
            assert!((0.0..=1.2).contains(&grid), "grid carbon {grid}, {at}");
            assert!(s.price_usd_per_mwh[t].is_finite(), "price, {at}");
            // What the policies see: per kWh of server energy.
            let water = p.water_l_per_kwh[t][d];
            assert!(
                (water - (wue + pue * ewif)).abs() <= 1e-12,
                "water {water} vs {wue} + {pue} x {ewif}, {at}"
            );
            assert_eq!(onsite[t][d], wue, "{at}");
            assert!(onsite[t][d] <= water, "{at}");
            assert!(
                (p.carbon_kg_per_kwh[t][d] - (pue * grid + embodied)).abs() <= 1e-12,
                "carbon, {at}"
            );
            assert!(
                (p.price_usd_per_mwh[t][d] - pue * s.price_usd_per_mwh[t]).abs() <= 1e-9,
                "price, {at}"
            );
        }
    }

    // Annual means against well-known facts about these places in 2022.
    let m = |dc: &str, f: fn(&Site) -> &Vec<f64>| mean(f(y.site(dc)));
    // Singapore is hot and humid all year (wet bulb about 24-26 °C): its wet bulb, and so its
    // cooling tower's WUE, is the highest of all sites; Frankfurt's mean wet bulb is below 12 °C
    // and its air economiser needs water only in the few hours above 18 °C.
    let sg_wb = m("singapore", |s| &s.wet_bulb_c);
    assert!((22.0..28.0).contains(&sg_wb), "Singapore mean wet bulb {sg_wb}");
    let sg_min = y
        .site("singapore")
        .wet_bulb_c
        .iter()
        .cloned()
        .fold(f64::MAX, f64::min);
    assert!(sg_min > 15.0, "Singapore never gets cold: {sg_min}");
    let sg_wue = m("singapore", |s| &s.wue_l_per_kwh);
    for s in &y.sites {
        if s.dc != "singapore" {
            assert!(mean(&s.wet_bulb_c) < sg_wb, "{} wetter than Singapore", s.dc);
            assert!(mean(&s.wue_l_per_kwh) < sg_wue, "{} WUE above Singapore's", s.dc);
        }
    }
    let fra_wb = m("frankfurt", |s| &s.wet_bulb_c);
    assert!((0.0..12.0).contains(&fra_wb), "Frankfurt mean wet bulb {fra_wb}");
    let fra_wue = m("frankfurt", |s| &s.wue_l_per_kwh);
    assert!(
        fra_wue < 0.5 && sg_wue > 4.0,
        "WUE: Frankfurt {fra_wue}, Singapore {sg_wue}"
    );
    // Ontario's grid is nuclear and hydro (tens of g/kWh); New South Wales burns coal for about
    // three quarters of its power (0.5-0.8 kg/kWh direct); Singapore runs on gas (~0.4, flat).
    let on = m("toronto", |s| &s.grid_carbon_kg_per_kwh);
    let nsw = m("sydney", |s| &s.grid_carbon_kg_per_kwh);
    let sg = m("singapore", |s| &s.grid_carbon_kg_per_kwh);
    assert!(
        on < 0.1 && (0.45..0.85).contains(&nsw) && on < nsw,
        "Toronto {on}, Sydney {nsw}"
    );
    assert!((0.3..0.5).contains(&sg), "Singapore carbon {sg}");
    let sg_series = &y.site("singapore").grid_carbon_kg_per_kwh;
    let (lo, hi) = sg_series
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    assert!(hi / lo < 1.2, "Singapore's gas grid varies from {lo} to {hi}");
    // Annual mean wholesale prices, USD/MWh (before PUE): 2022 was Germany's price crisis
    // (about 235 EUR/MWh day-ahead), Ontario's HOEP averaged about 45 CAD, ERCOT about 65 USD,
    // JEPX Tokyo about 26 JPY/kWh, Korea's SMP about 195 KRW/kWh, NSW about 180 AUD/MWh.
    // These ranges also catch a currency rate off by a unit (kWh vs MWh, per USD vs per unit).
    for (dc, low, high) in [
        ("frankfurt", 180.0, 320.0),
        ("toronto", 20.0, 60.0),
        ("dallas", 40.0, 100.0),
        ("tokyo", 120.0, 300.0),
        ("seoul", 100.0, 220.0),
        ("sydney", 80.0, 200.0),
        ("singapore", 130.0, 300.0),
    ] {
        let price = m(dc, |s| &s.price_usd_per_mwh);
        assert!((low..high).contains(&price), "{dc} mean price {price} USD/MWh");
    }
    // The data centers that take their off-site water from an annual mix have one value all year.
    for dc in ["toronto", "frankfurt", "tokyo", "seoul", "singapore", "sydney"] {
        let e = &y.site(dc).ewif_l_per_kwh;
        assert!(e.iter().all(|v| *v == e[0]), "{dc} EWIF varies");
    }
    let ercot = &y.site("dallas").ewif_l_per_kwh;
    assert!(
        ercot.iter().any(|v| *v != ercot[0]),
        "ERCOT EWIF should be hourly"
    );
}

#[test]
fn derived_intensities_match_the_raw_files() {
    let (y, raw) = (year(), raw());
    let hours = &y.problem.hours;
    // The preparation's wet bulb (ASHRAE 2017 at standard-atmosphere pressure, 2 decimals)
    // agrees to 0.05 °C every hour of every site, except where the ASHRAE balance has two
    // solutions: at 0 °C it switches from ice (eq. 35) to water (eq. 33) on the wick and the
    // humidity ratio it implies drops, so dry air just above freezing has two wet bulbs, one on
    // either side of 0 °C (the balance rises within each branch); 7.0 °C at 20 % in Seoul gives
    // -0.09 and +0.40 °C. A bisection finds either, depending on its bracket.
    let mut two_roots = 0;
    for s in &y.sites {
        let rows = raw.weather.rows(y.region(&s.dc), hours);
        for (t, row) in rows.iter().enumerate() {
            let (file, ours) = (raw.weather.num(row, "wetbulb_c"), s.wet_bulb_c[t]);
            if (file - ours).abs() > 0.05 {
                two_roots += 1;
                let straddle = (file <= 0.005) != (ours <= 0.0);
                assert!(
                    straddle && file.abs() < 0.5 && ours.abs() < 0.5,
                    "wet bulb of {} at {}: {ours} vs the file's {file} °C",
                    s.dc,
                    hours[t]
                );
            }
        }
    }
    // Two roots are rare: dry air just above freezing.
    assert!(
        two_roots < 438,
        "{two_roots} hours of 87,600 differ by more than 0.05 °C"
    );
    println!("wet bulb: {two_roots} hours straddle 0 °C; the rest agree to 0.05 °C");
    // A few hours by hand from the file (dry bulb, humidity, elevation -> wetbulb_c).
    for (dc, t) in [
        ("singapore", 4000),
        ("dallas", 5000),
        ("toronto", 0),
        ("sydney", 8759),
    ] {
        let row = &raw.weather.rows(y.region(dc), hours)[t];
        let file = raw.weather.num(row, "wetbulb_c");
        let ours = y.site(dc).wet_bulb_c[t];
        assert!(
            (file - ours).abs() <= 0.05,
            "{dc} at {}: {ours} vs {file}",
            hours[t]
        );
    }

    // ERCOT at 2022-01-01T00Z: the EIA-930 mix with the paper's factors, as the trace
    // preparation computed it independently.
    assert!((y.site("dallas").ewif_l_per_kwh[0] - 0.9213).abs() < 1e-3);
    // Every hour of the four US balancing authorities, by hand from the raw mix (negative net
    // generation, e.g. pumped storage, counts as none).
    for (dc, ba) in [
        ("dallas", "ERCO"),
        ("philadelphia", "PJM"),
        ("san-jose", "CISO"),
        ("new-york", "NYIS"),
    ] {
        let site = y.site(dc);
        for (t, row) in raw.fuel_mix.rows(ba, hours).iter().enumerate() {
            let (mut water, mut total) = (0.0, 0.0);
            for fuel in FUELS {
                let column = format!("{}_mw", fuel.replace(' ', "_"));
                let mw = raw.fuel_mix.num(row, &column).max(0.0);
                water += mw * ewif_of(fuel);
                total += mw;
            }
            let expected = water / total;
            assert!(
                (site.ewif_l_per_kwh[t] - expected).abs() < 1e-9,
                "{dc} EWIF at {}: {} vs {expected}",
                hours[t],
                site.ewif_l_per_kwh[t]
            );
        }
    }

    // Direct carbon is the file's g/kWh over 1000, every hour of every zone.
    for s in &y.sites {
        let rows = raw.carbon.rows(y.region(&s.dc), hours);
        for (t, row) in rows.iter().enumerate() {
            let expected = raw.carbon.num(row, "ci_direct_gco2eq_per_kwh") / 1000.0;
            assert!(
                (s.grid_carbon_kg_per_kwh[t] - expected).abs() < 1e-15,
                "{} carbon at {}",
                s.dc,
                hours[t]
            );
        }
    }

    // Prices: native x the 2022 Federal Reserve G.5A annual average, written here from the
    // release (EUR and AUD in USD per unit; the others in units per USD).
    let usd_per = |currency: &str| match currency {
        "USD" => 1.0,
        "EUR" => 1.0534,
        "AUD" => 0.6951,
        "CAD" => 1.0 / 1.3014,
        "JPY" => 1.0 / 131.4589,
        "SGD" => 1.0 / 1.3787,
        "KRW" => 1.0 / 1291.7796,
        other => panic!("{other}"),
    };
    for s in &y.sites {
        let rows = raw.prices.rows(y.region(&s.dc), hours);
        for (t, row) in rows.iter().enumerate() {
            let currency = raw.prices.text(row, "currency");
            let expected = raw.prices.num(row, "price_native_per_mwh") * usd_per(currency);
            // The scenario rounds the reciprocal rates to 6 significant digits.
            assert!(
                (s.price_usd_per_mwh[t] - expected).abs() <= 1e-6 * expected.abs() + 1e-9,
                "{} price at {}: {} vs {expected} ({currency})",
                s.dc,
                hours[t],
                s.price_usd_per_mwh[t]
            );
        }
    }
    let frankfurt = raw.prices.rows("DE-LU", hours);
    assert_eq!(raw.prices.text(&frankfurt[4000], "currency"), "EUR");
    assert_eq!(
        y.site("frankfurt").price_usd_per_mwh[4000],
        raw.prices.num(&frankfurt[4000], "price_native_per_mwh") * 1.0534
    );
}

#[test]
fn annual_ewif_by_hand() {
    let dir = repo().join("traces/2022");
    let factors = physical::read_fuel_factors(&dir.join("fuel_factors_paper.csv")).unwrap();
    assert_eq!(factors, FuelFactors::PAPER);
    let shares =
        physical::read_annual_shares(&dir.join("electricitymaps_2022_annual_mix_shares.csv")).unwrap();
    let zone = |z: &str| shares.iter().find(|(name, _)| name == z).unwrap().1;
    let ontario = zone("CA-ON");
    assert_eq!(
        (
            ontario.hydro,
            ontario.solar,
            ontario.wind,
            ontario.nuclear,
            ontario.fossil
        ),
        (0.25881, 0.00473, 0.09442, 0.53813, 0.10391)
    );
    // Hydro, solar and wind consume no water at the plant; nuclear 2.2712 L/kWh, gas 1.1356.
    let by_hand = 0.53813 * 2.2712 + 0.10391 * 1.1356;
    let computed = intensity::annual_ewif_l_per_kwh(&ontario, "natural gas", &factors).unwrap();
    assert!((computed - by_hand).abs() < 1e-12, "{computed} vs {by_hand}");
    // Counted as coal instead, the fossil share weighs 1.7034.
    let as_coal = intensity::annual_ewif_l_per_kwh(&ontario, "coal", &factors).unwrap();
    assert!((as_coal - (0.53813 * 2.2712 + 0.10391 * 1.7034)).abs() < 1e-12);

    // The year scenario uses them: Toronto (Ontario, natural gas by default), Frankfurt (zone DE,
    // fossil as coal), Sydney (no nuclear, coal), Tokyo (natural gas).
    let y = year();
    for (dc, expected) in [
        ("toronto", by_hand),
        ("frankfurt", 0.06826 * 2.2712 + 0.56075 * 1.7034),
        ("sydney", 0.72745 * 1.7034),
        ("tokyo", 0.87328 * 1.1356),
        ("seoul", 0.26117 * 2.2712 + 0.70789 * 1.7034),
        ("singapore", 0.00001 * 2.2712 + 0.98886 * 1.1356),
    ] {
        let got = y.site(dc).ewif_l_per_kwh[0];
        assert!((got - expected).abs() < 1e-12, "{dc}: {got} vs {expected}");
    }
}

/// Runs `fairglb run` on `scenario` with `extra` arguments into a temporary folder.
fn run(scenario: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap().to_string();
    let mut args = vec!["run", scenario.to_str().unwrap(), "--out", &out_arg];
    args.extend_from_slice(extra);
    fairglb_ok(&repo(), &args);
    out
}

fn num(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = `{}` is not a number", row[column]))
}

#[test]
fn result_files_split_carbon_and_water_into_parts_that_add_up() {
    let out = run(
        &global_path(),
        &[
            "--set",
            "horizon.hours=48",
            "--policy",
            "min-cost",
            "--policy",
            "eglb-online",
        ],
    );
    // "Sustainable AI": 2,000 kg per server over 4 years busy 45 % of the time, 2 kW a server.
    let embodied_per_kwh = 2000.0 / (4.0 * 8760.0 * 0.45) / 2.0;
    let regions = read_csv(&out.path().join("regions.csv"));
    let hourly = read_csv(&out.path().join("hourly.csv"));
    assert_eq!(regions.len(), 2 * 10);
    assert_eq!(hourly.len(), 2 * 10 * 48);
    let check = |row: &HashMap<String, String>, energy_kwh: f64, what: &str| {
        let sum_close = |a: f64, b: f64, total: f64, name: &str| {
            assert!(
                (a + b - total).abs() <= 1e-9 * total.abs().max(1e-9),
                "{what}: {name} parts {a} + {b} != {total}"
            );
        };
        sum_close(
            num(row, "water_onsite_l"),
            num(row, "water_offsite_l"),
            num(row, "water_l"),
            "water",
        );
        sum_close(
            num(row, "carbon_operational_kg"),
            num(row, "carbon_embodied_kg"),
            num(row, "carbon_kg"),
            "carbon",
        );
        for column in ["water_onsite_l", "water_offsite_l", "carbon_operational_kg"] {
            assert!(num(row, column) >= 0.0, "{what}: {column} < 0");
        }
        let embodied = num(row, "carbon_embodied_kg");
        assert!(
            (embodied - energy_kwh * embodied_per_kwh).abs() <= 1e-9 * embodied.max(1e-9),
            "{what}: embodied {embodied} vs {energy_kwh} kWh x {embodied_per_kwh}"
        );
    };
    for row in &regions {
        let what = format!("regions.csv {} {}", row["policy"], row["dc"]);
        let energy_kwh = num(row, "energy_mwh") * 1000.0;
        check(row, energy_kwh, &what);
    }
    for row in &hourly {
        let what = format!("hourly.csv {} {} {}", row["policy"], row["dc"], row["hour_utc"]);
        check(row, num(row, "load_mw") * 1000.0, &what);
    }
    // Some load anywhere means some embodied carbon.
    for policy in ["min-cost", "eglb-online"] {
        let total: f64 = regions
            .iter()
            .filter(|r| r["policy"] == policy)
            .map(|r| num(r, "carbon_embodied_kg"))
            .sum();
        assert!(total > 0.0, "{policy}: no embodied carbon");
    }
    // The regions' totals are the sums of their hours.
    for region in &regions {
        let hours: Vec<_> = hourly
            .iter()
            .filter(|h| h["policy"] == region["policy"] && h["dc"] == region["dc"])
            .collect();
        assert_eq!(hours.len(), 48);
        for column in [
            "water_onsite_l",
            "water_offsite_l",
            "carbon_embodied_kg",
            "carbon_kg",
        ] {
            let sum: f64 = hours.iter().map(|h| num(h, column)).sum();
            let total = num(region, column);
            assert!(
                (sum - total).abs() <= 1e-9 * total.abs().max(1.0),
                "{} {} {column}: hours sum to {sum}, region says {total}",
                region["policy"],
                region["dc"]
            );
        }
    }

    // intensity.csv, end to end against the raw files: carbon = PUE x direct / 1000 + embodied,
    // price = PUE x native x rate; on-site water is zero in January at the air-economised sites
    // (Frankfurt's and Toronto's January wet bulbs are far below 18 °C) and at least the cooling
    // tower's floor of 0.05 L/kWh elsewhere.
    let (y, raw) = (year(), raw());
    let intensity = read_csv(&out.path().join("intensity.csv"));
    assert_eq!(intensity.len(), 10 * 48);
    let hours = &y.problem.hours;
    let carbon_rows: HashMap<&str, &[csv::StringRecord]> = y
        .sites
        .iter()
        .map(|s| (s.dc.as_str(), raw.carbon.rows(y.region(&s.dc), hours)))
        .collect();
    for row in &intensity {
        let dc = row["dc"].as_str();
        let t = hours.iter().position(|h| *h == row["hour_utc"]).unwrap();
        let ci = raw.carbon.num(&carbon_rows[dc][t], "ci_direct_gco2eq_per_kwh");
        let expected = 1.1 * ci / 1000.0 + embodied_per_kwh;
        assert_close(num(row, "carbon_kg_per_kwh"), expected, 1e-9, dc);
        let onsite = num(row, "water_onsite_l_per_kwh");
        if dc == "frankfurt" || dc == "toronto" {
            assert_eq!(onsite, 0.0, "{dc} at {}", row["hour_utc"]);
        } else {
            assert!(onsite >= 0.05, "{dc} at {}: {onsite}", row["hour_utc"]);
        }
        assert!(onsite <= num(row, "water_l_per_kwh"));
    }
    let dallas_0 = intensity
        .iter()
        .find(|r| r["dc"] == "dallas" && r["hour_utc"] == "2022-01-01T00:00:00Z")
        .unwrap();
    // ERCOT day-ahead hub average 33.69 USD/MWh at 2022-01-01T00Z, x PUE 1.1.
    assert_close(
        num(dallas_0, "price_usd_per_mwh"),
        1.1 * 33.69,
        1e-12,
        "dallas price",
    );
}

#[test]
fn paper_scenario_leaves_the_water_parts_unknown_and_has_no_embodied_carbon() {
    let out = run(
        &repo().join("scenarios/paper.toml"),
        &[
            "--set",
            "horizon.hours=24",
            "--policy",
            "min-cost",
            "--policy",
            "eglb-online",
        ],
    );
    for (file, rows) in [("regions.csv", 2 * 10), ("hourly.csv", 2 * 10 * 24)] {
        let table = read_csv(&out.path().join(file));
        assert_eq!(table.len(), rows, "{file}");
        for row in &table {
            assert_eq!(row["water_onsite_l"], "NaN", "{file}: unknown");
            assert_eq!(row["water_offsite_l"], "NaN", "{file}: unknown");
            assert_eq!(num(row, "carbon_embodied_kg"), 0.0, "{file}");
            assert_eq!(num(row, "carbon_operational_kg"), num(row, "carbon_kg"), "{file}");
        }
        assert!(table.iter().any(|r| num(r, "water_l") > 0.0), "{file}");
    }
    for row in read_csv(&out.path().join("intensity.csv")) {
        assert_eq!(row["water_onsite_l_per_kwh"], "NaN");
    }
}

/// Each gateway's demand over the scenario's hours, from `gateway_demand_mw` directly.
fn demand(scenario: &Scenario) -> Vec<Vec<f64>> {
    let trace = traces::read_workload(&scenario.demand.workload, &scenario.demand.column).unwrap();
    let hours = &year().traces().weather.hours;
    gateway_demand_mw(scenario, &trace, hours, 0, hours.len()).unwrap()
}

fn load_with(overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    Scenario::load(&global_path(), &overrides).unwrap()
}

fn column(demand: &[Vec<f64>], g: usize) -> Vec<f64> {
    demand.iter().map(|hour| hour[g]).collect()
}

/// The BLOOM trace's `gpu_power_w` with its UTC hours (read here with csv).
fn bloom() -> Vec<(u32, f64)> {
    let mut reader = csv::Reader::from_path(repo().join("traces/paper-2022/workload_hourly.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let c = header.iter().position(|h| h == "gpu_power_w").unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            // `2022-09-22T13:00:00Z`: the hour is characters 11-12.
            (r[0][11..13].parse().unwrap(), r[c].parse().unwrap())
        })
        .collect()
}

/// Mean of `values` by hour slot 0-23, given each value's slot.
fn by_hour(slots: impl Iterator<Item = usize>, values: &[f64]) -> [f64; 24] {
    let (mut sum, mut count) = ([0.0; 24], [0.0; 24]);
    for (s, v) in slots.zip(values) {
        sum[s] += v;
        count[s] += 1.0;
    }
    std::array::from_fn(|h| sum[h] / count[h])
}

/// The shift `k` (0-23) maximising the correlation of `a[h]` with `b[(h + k) mod 24]`.
fn best_shift(a: &[f64; 24], b: &[f64; 24]) -> usize {
    let centred = |v: &[f64; 24]| {
        let m = v.iter().sum::<f64>() / 24.0;
        v.map(|x| x - m)
    };
    let (a, b) = (centred(a), centred(b));
    (0..24)
        .max_by(|&k, &l| {
            let corr = |k: usize| (0..24).map(|h| a[h] * b[(h + k) % 24]).sum::<f64>();
            corr(k).total_cmp(&corr(l))
        })
        .unwrap()
}

fn circular_distance(a: usize, b: usize) -> usize {
    let d = (a + 24 - b) % 24;
    d.min(24 - d)
}

#[test]
fn synthetic_workload_is_seeded_scaled_and_calibrated() {
    let y = year();
    let base = demand(&y.scenario);
    // The problem's demand is this series, and the same seed gives it again.
    assert_eq!(base, y.problem.demand_mw);
    assert_eq!(base, demand(&load_with(&[])));
    let reseeded = demand(&load_with(&["seed=7"]));
    let doubled = demand(&load_with(&["workload.scale=2"]));
    let bloom = bloom();
    let bloom_values: Vec<f64> = bloom.iter().map(|(_, v)| *v).collect();
    let bloom_p2m = bloom_values.iter().cloned().fold(0.0, f64::max) / mean(&bloom_values);
    assert!((1.5..1.65).contains(&bloom_p2m), "BLOOM peak-to-mean {bloom_p2m}");
    let DemandModel::Synthetic { gateways, .. } = &y.scenario.demand.model else {
        panic!("a synthetic workload")
    };
    for (g, (name, (mean_mw, _))) in y.scenario.fleet.gateways.iter().zip(gateways).enumerate() {
        let series = column(&base, g);
        let other = column(&reseeded, g);
        let differing = series.iter().zip(&other).filter(|(a, b)| a != b).count();
        assert!(
            differing > 8000,
            "{}: seed 7 changes only {differing} hours",
            name
        );
        // Scaling by 2 is exact in floating point.
        let twice = column(&doubled, g);
        assert!(
            series.iter().zip(&twice).all(|(a, b)| 2.0 * a == *b),
            "{}: scale 2 does not double",
            name
        );
        let target = *mean_mw;
        for (what, s) in [("seed 2022", &series), ("seed 7", &other)] {
            let m = mean(s);
            assert!(
                (m / target - 1.0).abs() < 0.03,
                "{} ({what}): mean {m} vs mean_mw {target}",
                name
            );
            let p2m = s.iter().cloned().fold(0.0, f64::max) / m;
            assert!(
                (p2m / bloom_p2m - 1.0).abs() < 0.10,
                "{} ({what}): peak-to-mean {p2m} vs BLOOM's {bloom_p2m}",
                name
            );
            assert!(s.iter().all(|v| v.is_finite() && *v >= 0.0));
        }
    }
}

#[test]
fn synthetic_workload_follows_each_gateways_local_time() {
    // BLOOM's profile by local hour (US Central daylight time, UTC-5) is flat-ish: its two
    // highest hours differ by about 2 %, so the argmax of a noisy year is fragile. The whole
    // daily shape is not: compare profiles by their best circular cross-correlation instead.
    let bloom = bloom();
    let values: Vec<f64> = bloom.iter().map(|(_, v)| *v).collect();
    let bloom_local = by_hour(bloom.iter().map(|(h, _)| (*h as usize + 24 - 5) % 24), &values);
    let y = year();
    let utc_hours = || (0..8760).map(|t| t % 24); // the year starts at 00:00Z
    let profile = |name: &str| by_hour(utc_hours(), &column(&y.problem.demand_mw, y.gateway(name)));
    // A gateway at UTC offset o sees local hour (h + o) at UTC hour h.
    for (name, offset) in [("tokyo", 9), ("san-jose", -8), ("frankfurt", 1), ("sydney", 10)] {
        let shift = best_shift(&profile(name), &bloom_local);
        let expected = (offset + 24) as usize % 24;
        assert!(
            circular_distance(shift, expected) <= 1,
            "{name}: best shift {shift}, expected {expected}"
        );
    }
    // Tokyo (UTC+9) is 17 hours ahead of San Jose (UTC-8): Tokyo's local time at UTC hour h is
    // San Jose's at h + 17, so tokyo[h] ~ san_jose[(h + 17) mod 24].
    let (tokyo, san_jose) = (profile("tokyo"), profile("san-jose"));
    let shift = best_shift(&tokyo, &san_jose);
    assert!(circular_distance(shift, 17) <= 1, "shift {shift}, expected 17");
    // The argmax of each profile alone is not a robust test: BLOOM's hours at 18:00 and 22:00
    // local differ by about 2 %, and over 40 seeds the two peaks were 17 +- 1 hours apart in only 33
    // (the cross-correlations above held exactly in all 40). Printed for the record.
    let argmax = |p: &[f64; 24]| (0..24).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
    println!(
        "mean daily peak, UTC hour: tokyo {}, san-jose {}",
        argmax(&tokyo),
        argmax(&san_jose)
    );
}

#[test]
fn gateways_with_time_zones_follow_daylight_saving() {
    // Mean demand by UTC hour in January-February against June-July: a gateway whose clock moves
    // an hour between them peaks an hour apart in UTC (the same local hour); one that does not,
    // at the same UTC hour. The shift is the best circular cross-correlation of the two profiles.
    let y = year();
    let season = |name: &str, months: std::ops::Range<usize>| {
        let days: usize = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][..months.start]
            .iter()
            .sum();
        let len: usize = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][months]
            .iter()
            .sum();
        let demand = column(&y.problem.demand_mw, y.gateway(name));
        let hours = days * 24..(days + len) * 24;
        by_hour(hours.clone().map(|t| t % 24), &demand[hours])
    };
    // winter[h] ~ summer[(h + k) mod 24]: New York's summer peak is an hour earlier in UTC (k = 23),
    // Sydney's (daylight time in January) an hour later (k = 1), Tokyo's and Singapore's the same.
    for (name, k) in [
        ("new-york", 23),
        ("frankfurt", 23),
        ("sydney", 1),
        ("tokyo", 0),
        ("singapore", 0),
    ] {
        let shift = best_shift(&season(name, 0..2), &season(name, 5..7));
        assert_eq!(shift, k, "{name}");
    }
}

/// The scenario's data-center coordinates (which the latency mask uses) are the weather sites'.
#[test]
fn data_center_coordinates_are_the_weather_sites() {
    let path = repo().join("scenarios/global-2022.toml");
    let scenario = fairglb::scenario::Scenario::load(&path, &[]).unwrap();
    let weather = fairglb::traces::physical::LongTable::read(
        &physics(&scenario).files.weather,
        "region",
        &fairglb::traces::physical::WEATHER_COLUMNS,
        &[],
    )
    .unwrap();
    let sites = &physics(&scenario).sites;
    for ((dc, site), location) in scenario.fleet.dcs.iter().zip(sites).zip(&scenario.dc_locations) {
        let k = weather.key(&site.region, "region").unwrap();
        let location = location.expect("coordinates on every data center");
        assert_eq!(location.lat, weather.series(k, "lat")[0], "{dc}");
        assert_eq!(location.lon, weather.series(k, "lon")[0], "{dc}");
    }
}
