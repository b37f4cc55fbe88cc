//! The scenario parser with `--set` overrides: a TOML file (it may name the shipped scenarios as
//! `base`, and the shipped traces), then one override per line after a byte 0.
#![no_main]

use fairglb::scenario::Scenario;
use fairglb_fuzz::{repo, scratch, write};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let root = scratch();
    let scenarios = root.join("scenarios");
    if !scenarios.exists() {
        std::fs::create_dir_all(&scenarios).unwrap();
        for entry in std::fs::read_dir(repo().join("scenarios")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), scenarios.join(entry.file_name())).unwrap();
        }
        std::os::unix::fs::symlink(repo().join("traces"), root.join("traces")).unwrap();
    }
    let (toml, overrides) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let overrides: Vec<String> = String::from_utf8_lossy(overrides)
        .lines()
        .map(String::from)
        .collect();
    let path = write(&scenarios, "fuzzed.toml", toml);
    let _ = Scenario::load(&path, &overrides);
});
