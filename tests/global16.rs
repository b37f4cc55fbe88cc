//! The larger physical fleet (`scenarios/global16-2022.toml`): sixteen data centers and gateways
//! from the same `traces/2022/` files as `global-2022.toml`, whose ten sites it repeats unchanged;
//! every gateway reaches a data center under the latency limit; the derived intensities are
//! finite, and carbon and water positive; the five sites without a price series of their own
//! pay their neighbour's (`price_region`), read here from the price file directly.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use fairglb::model::Problem;
use fairglb::scenario::{Intensities, Scenario};

use crate::util::*;

fn global16() -> PathBuf {
    repo().join("scenarios/global16-2022.toml")
}

/// A scenario's first 48 hours.
fn first_48_hours(path: &std::path::Path) -> (Scenario, Problem) {
    fairglb::load(path, &["horizon.hours=48".into()]).unwrap()
}

#[test]
fn global16_loads_sixteen_sites_and_every_gateway_reaches_a_data_center() {
    let (scenario, p) = first_48_hours(&global16());
    assert_eq!(scenario.name, "global16-2022");
    assert_eq!((p.fleet.dcs.len(), p.fleet.gateways.len()), (16, 16));
    assert_eq!(p.n_hours(), 48);
    for (g, gateway) in p.fleet.gateways.iter().enumerate() {
        let reachable: Vec<&String> = (0..16)
            .filter(|&d| p.fleet.routing.allows(d, g))
            .map(|d| &p.fleet.dcs[d])
            .collect();
        assert!(!reachable.is_empty(), "gateway {gateway} reaches no data center");
        assert!(
            reachable.contains(&gateway),
            "{gateway} is co-located with its data center"
        );
    }
    // Johannesburg is an island at 100 ms: its gateway reaches its own data center only.
    let g = p.fleet.gateways.iter().position(|g| g == "johannesburg").unwrap();
    let d = p.fleet.dcs.iter().position(|d| d == "johannesburg").unwrap();
    assert!((0..16).all(|e| p.fleet.routing.allows(e, g) == (e == d)));
    p.check_feasible().unwrap();
    for t in 0..48 {
        for (d, dc) in p.fleet.dcs.iter().enumerate() {
            let at = format!("{dc} at {}", p.hours[t]);
            // Market prices may be negative (the first 48 hours hold some); they must be finite.
            assert!(p.price_usd_per_mwh[t][d].is_finite(), "price, {at}");
            let (carbon, water) = (p.carbon_kg_per_kwh[t][d], p.water_l_per_kwh[t][d]);
            assert!(carbon.is_finite() && carbon > 0.0, "carbon {carbon}, {at}");
            assert!(water.is_finite() && water > 0.0, "water {water}, {at}");
        }
    }
}

/// One set of trace files serves both scenarios: global16's first ten data centers are
/// global-2022's, with the same capacities, demand and intensities.
#[test]
fn global16_repeats_the_ten_sites_of_global_2022() {
    let (_, ten) = first_48_hours(&repo().join("scenarios/global-2022.toml"));
    let (_, sixteen) = first_48_hours(&global16());
    assert_eq!(ten.fleet.dcs[..], sixteen.fleet.dcs[..10]);
    assert_eq!(ten.fleet.gateways[..], sixteen.fleet.gateways[..10]);
    assert_eq!(ten.fleet.capacity_mw[..], sixteen.fleet.capacity_mw[..10]);
    for t in 0..48 {
        assert_eq!(ten.price_usd_per_mwh[t][..], sixteen.price_usd_per_mwh[t][..10]);
        assert_eq!(ten.carbon_kg_per_kwh[t][..], sixteen.carbon_kg_per_kwh[t][..10]);
        assert_eq!(ten.water_l_per_kwh[t][..], sixteen.water_l_per_kwh[t][..10]);
        assert_eq!(ten.demand_mw[t][..], sixteen.demand_mw[t][..10]);
    }
}

/// `(currency, native price per MWh per hour)` of every region of the price file, read with
/// flate2 and csv (not the crate's readers).
fn raw_prices() -> HashMap<String, (String, Vec<f64>)> {
    let path = repo().join("traces/2022/prices_2022_hourly.csv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (region, currency, price) = (at("region"), at("currency"), at("price_native_per_mwh"));
    let mut regions: HashMap<String, (String, Vec<f64>)> = HashMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        let entry = regions
            .entry(row[region].to_string())
            .or_insert_with(|| (row[currency].to_string(), Vec::new()));
        entry.1.push(row[price].parse().unwrap());
    }
    regions
}

#[test]
fn global16_sites_without_a_market_pay_their_neighbours_price() {
    let (scenario, p) = first_48_hours(&global16());
    let Intensities::Physical(spec) = &scenario.intensities else {
        panic!("a physical scenario");
    };
    let raw = raw_prices();
    let usd_per = |currency: &str| {
        if currency == "USD" {
            1.0
        } else {
            spec.usd_per[currency]
        }
    };
    let borrowed = [
        ("london", "GB", "BE"),
        ("sao-paulo", "BR-SP", "US-MIDA-PJM"),
        ("santiago", "CL-SIC", "US-TEX-ERCO"),
        ("johannesburg", "ZA", "ES"),
        ("mumbai", "IN-WE", "SG"),
    ];
    for (dc, region, neighbour) in borrowed {
        let d = p.fleet.dcs.iter().position(|name| name == dc).unwrap();
        let site = &spec.sites[d];
        assert_eq!(
            (site.region.as_str(), site.price_region.as_str()),
            (region, neighbour)
        );
        assert!(
            !raw.contains_key(region),
            "{region} has no price series of its own"
        );
        let (currency, native) = &raw[neighbour];
        for (t, hour) in p.price_usd_per_mwh.iter().enumerate() {
            // PUE 1.1 everywhere: a kWh of server energy buys 1.1 kWh.
            let expected = native[t] * usd_per(currency) * 1.1;
            let got = hour[d];
            assert!(
                (got - expected).abs() <= 1e-9 * expected.abs().max(1.0),
                "{dc} at {t}: {got} vs {expected}"
            );
        }
    }
    // Every other site pays its own region's market.
    for (d, site) in spec.sites.iter().enumerate() {
        if !borrowed.iter().any(|(dc, ..)| *dc == p.fleet.dcs[d]) {
            assert_eq!(site.price_region, site.region, "{}", p.fleet.dcs[d]);
        }
    }
}

#[test]
fn global16_unknown_price_region_names_the_price_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    fails_in(
        dir.path(),
        global16().to_str().unwrap(),
        &["--set", "horizon.hours=2", "--set", "dc.10.price_region=NOWHERE"],
        &[
            "prices_2022_hourly.csv.gz",
            "`NOWHERE`",
            "dc `london` price_region",
            "BE",
        ],
    );
}
