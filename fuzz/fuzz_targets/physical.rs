//! The readers of the physical traces, together as a scenario names them: weather, grid carbon,
//! prices, hourly fuel mix, annual mix shares and fuel factors, split at bytes 0.
#![no_main]

use fairglb::traces::physical::{PhysicalPaths, PhysicalTraces};
use fairglb_fuzz::{fresh_dir, parts, write};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = fresh_dir("physical");
    let files = parts(data, 6);
    let file = |i: usize, name: &str| write(&dir, name, files.get(i).copied().unwrap_or_default());
    let paths = PhysicalPaths {
        weather: file(0, "weather.csv"),
        carbon: file(1, "carbon.csv"),
        prices: file(2, "prices.csv"),
        fuel_mix: (files.len() > 3).then(|| file(3, "fuel_mix.csv")),
        mix_shares: (files.len() > 4).then(|| file(4, "mix_shares.csv")),
        fuel_factors: file(5, "fuel_factors.csv"),
    };
    let _ = PhysicalTraces::read(&paths);
});
