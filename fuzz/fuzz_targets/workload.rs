//! The reader of workload traces (plain or gzip), asked for the column the paper uses.
#![no_main]

use fairglb_fuzz::{csv_name, scratch, write};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = write(
        scratch(),
        &csv_name("workload", data),
        data.get(1..).unwrap_or_default(),
    );
    let _ = fairglb::traces::read_workload(&path, "requests_mw");
});
