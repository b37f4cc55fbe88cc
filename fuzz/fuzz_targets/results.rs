//! The results-folder reader of `plot` and `report`, then every figure drawn as SVG: the files
//! regions.csv, summary.csv, hourly.csv, intensity.csv, sweep.csv and manifest.json, split at
//! bytes 0 (an empty part is a missing file).
#![no_main]

use fairglb::plot::{Options, Results, render_svg};
use fairglb_fuzz::{fresh_dir, parts, write};
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 6] = [
    "regions.csv",
    "summary.csv",
    "hourly.csv",
    "intensity.csv",
    "sweep.csv",
    "manifest.json",
];

fuzz_target!(|data: &[u8]| {
    let dir = fresh_dir("results");
    for (name, bytes) in FILES.iter().zip(parts(data, FILES.len())) {
        if !bytes.is_empty() {
            write(&dir, name, bytes);
        }
    }
    let Ok(results) = Results::read(&dir) else { return };
    let options = Options::default();
    let Ok(figures) = results.figures(&options) else {
        return;
    };
    for figure in &figures {
        let _ = render_svg(figure, &options);
    }
});
