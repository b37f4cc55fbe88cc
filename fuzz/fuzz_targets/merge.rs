//! `fairglb merge` of two shard folders, each a sweep.json and a sweep.csv, split at bytes 0.
#![no_main]

use fairglb_fuzz::{fresh_dir, parts, write};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = parts(data, 4);
    let shards = [fresh_dir("shard1"), fresh_dir("shard2")];
    for (i, shard) in shards.iter().enumerate() {
        write(shard, "sweep.json", files.get(2 * i).copied().unwrap_or_default());
        write(
            shard,
            "sweep.csv",
            files.get(2 * i + 1).copied().unwrap_or_default(),
        );
    }
    let out = fresh_dir("merged");
    let _ = fairglb::sweep::merge(&shards, &out.join("out"));
});
