//! The reader of per-data-center intensity files (`dc_hourly.csv`, plain or gzip).
#![no_main]

use fairglb_fuzz::{csv_name, scratch, write};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = write(
        scratch(),
        &csv_name("dc_hourly", data),
        data.get(1..).unwrap_or_default(),
    );
    let _ = fairglb::traces::read_dc_traces(&path);
});
