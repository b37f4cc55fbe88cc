//! `fairglb plot` and `fairglb report` on small fixtures made by the tool itself (the oracle
//! scenario and a sweep of it): every figure renders to a valid, non-empty PNG and SVG of the
//! expected size, the report holds every figure and the summary, and bad input names its file.

use std::path::Path;

use crate::util::*;

/// Figure name -> (width, height) in pixels, for the oracle run (8 policies).
const RUN_FIGURES: [(&str, (u32, u32)); 5] = [
    ("regions", (1000, 130 + 190 * 8 + 110)),
    ("par_vs_cost", (1000, 520)),
    ("load_eglb-offline", (1000, 560)),
    ("online_vs_offline", (1000, 800)),
    ("intensity", (1000, 1000)),
];

/// The oracle's results (a run, and a sweep over two axes) in a temporary folder.
fn fixture() -> tempfile::TempDir {
    let dir = oracle_copy();
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "run"]);
    fairglb_ok(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "sweep",
            "--axis",
            "equity.water_usd_per_m3=0,10,40",
            "--axis",
            "equity.carbon_usd_per_t=0,20",
        ],
    );
    dir
}

/// Decodes a PNG; returns its size and the share of pixels that are not white.
fn png_facts(path: &Path) -> ((u32, u32), f64) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{}: not a PNG: {e}", path.display()));
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let inked = pixels[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|&c| c < 250))
        .count();
    (
        (info.width, info.height),
        inked as f64 / (info.width * info.height) as f64,
    )
}

#[test]
fn every_figure_renders_as_png_and_svg_of_the_expected_size() {
    let dir = fixture();
    let stdout = fairglb_ok(dir.path(), &["plot", "run", "--format", "both"]);
    for (name, size) in RUN_FIGURES {
        let png = dir.path().join(format!("run/figures/{name}.png"));
        assert!(stdout.contains(&format!("{name}.png")), "{stdout}");
        let (got, inked) = png_facts(&png);
        assert_eq!(got, size, "{name}.png size");
        assert!(
            inked > 0.02,
            "{name}.png is nearly blank ({:.1}% inked)",
            100.0 * inked
        );
        let svg = std::fs::read_to_string(dir.path().join(format!("run/figures/{name}.svg"))).unwrap();
        assert!(
            svg.contains(&format!("<svg width=\"{}\" height=\"{}\"", size.0, size.1)),
            "{name}.svg header"
        );
        assert!(svg.trim_end().ends_with("</svg>"), "{name}.svg is not closed");
        assert!(
            svg.matches("<text").count() >= 5
                && svg.matches("<rect").count() + svg.matches("<polyline").count() >= 10,
            "{name}.svg has too few marks"
        );
    }
    // No temporary files are left behind (`.fairglb` lists the figures fairglb drew there).
    let names: Vec<String> = std::fs::read_dir(dir.path().join("run/figures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(
        names.iter().all(|n| n == ".fairglb" || !n.starts_with('.')),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == ".fairglb"), "{names:?}");
}

#[test]
fn sweep_tradeoff_and_chosen_load_policy() {
    let dir = fixture();
    fairglb_ok(dir.path(), &["plot", "sweep", "--out", "figs"]);
    let (size, inked) = png_facts(&dir.path().join("figs/tradeoff.png"));
    assert_eq!(size, (1000, 520));
    assert!(inked > 0.02);
    fairglb_ok(
        dir.path(),
        &[
            "plot", "run", "--policy", "nearest", "--format", "svg", "--out", "figs",
        ],
    );
    assert!(dir.path().join("figs/load_nearest.svg").exists());
    let stderr = fairglb_err(dir.path(), &["plot", "run", "--policy", "greenest"]);
    assert!(
        stderr.contains("hourly.csv") && stderr.contains("no policy `greenest`"),
        "{stderr}"
    );
}

#[test]
fn report_holds_every_figure_the_summary_and_the_manifest() {
    let dir = fixture();
    fairglb_ok(dir.path(), &["report", "run", "sweep", "--out", "report.html"]);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    for (name, _) in RUN_FIGURES {
        assert!(
            html.contains(&format!("<figure id=\"s1-{name}\">")),
            "report lacks {name}"
        );
    }
    assert!(
        html.contains("<figure id=\"s2-tradeoff\">"),
        "report lacks the sweep's trade-off"
    );
    assert_eq!(
        html.matches("<svg").count(),
        RUN_FIGURES.len() + 1,
        "figures are inline SVG"
    );
    for policy in fairglb::policy::names() {
        assert!(
            html.contains(&format!("<td>{policy}</td>")),
            "summary lacks {policy}"
        );
    }
    assert!(
        html.contains("scenario_sha256") && html.contains("sweep_id"),
        "manifest and sweep.json are included"
    );
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "the page must be self-contained"
    );
}

#[test]
fn missing_or_malformed_csv_names_the_file() {
    let dir = fixture();
    let stderr = fairglb_err(dir.path(), &["plot", "nowhere"]);
    assert!(stderr.contains("nowhere"), "{stderr}");
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let stderr = fairglb_err(dir.path(), &["plot", "empty"]);
    assert!(
        stderr.contains("no summary.csv") && stderr.contains("sweep.csv"),
        "{stderr}"
    );
    std::fs::remove_file(dir.path().join("run/regions.csv")).unwrap();
    let stderr = fairglb_err(dir.path(), &["report", "run"]);
    assert!(stderr.contains("regions.csv"), "{stderr}");
    edit(dir.path(), "sweep/sweep.csv", ",nearest,", ",nearest,lots,");
    let stderr = fairglb_err(dir.path(), &["plot", "sweep"]);
    assert!(stderr.contains("sweep.csv:2:"), "{stderr}");
    let regions = dir.path().join("run/regions.csv");
    std::fs::write(
        &regions,
        "policy,dc,energy_mwh,cost_usd,carbon_kg,water_l\nmin-cost,a,1,2,3,abc\n",
    )
    .unwrap();
    std::fs::copy(
        dir.path().join("run/summary.csv"),
        dir.path().join("copy-summary.csv"),
    )
    .unwrap();
    let stderr = fairglb_err(dir.path(), &["plot", "run"]);
    assert!(
        stderr.contains("regions.csv:2:") && stderr.contains("`water_l`: `abc` is not a finite number"),
        "{stderr}"
    );
    // A summary passed off as a sweep lacks `run`.
    std::fs::create_dir(dir.path().join("fake")).unwrap();
    std::fs::copy(
        dir.path().join("copy-summary.csv"),
        dir.path().join("fake/sweep.csv"),
    )
    .unwrap();
    let stderr = fairglb_err(dir.path(), &["report", "fake"]);
    assert!(
        stderr.contains("sweep.csv:1:") && stderr.contains("no column `run`"),
        "{stderr}"
    );
    let summary = dir.path().join("run/summary.csv");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, text.replacen("water_par", "water_ratio", 1)).unwrap();
    let stderr = fairglb_err(dir.path(), &["plot", "run"]);
    assert!(
        stderr.contains("summary.csv:1:") && stderr.contains("no column `water_par`"),
        "{stderr}"
    );
}

/// An RGB image: width, height and 3 bytes per pixel.
fn rgb(path: &Path) -> (usize, usize, Vec<u8>) {
    let mut reader = png::Decoder::new(std::fs::File::open(path).unwrap())
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    pixels.truncate(info.buffer_size());
    (info.width as usize, info.height as usize, pixels)
}

/// The year's intensity figure as PNG (an hourly year, ten hours to a pixel): no pixel of a data
/// center's colour lies outside the three panels' plotting areas, give or take the 2-pixel stroke.
/// plotters' bitmap backend stroked wide lines with unbounded miter joins, which ran through the
/// tick labels. The panels are found from the image: each x axis is a black row, each y axis a
/// column going up from its left end to the panel's top.
#[test]
fn the_years_intensity_png_draws_every_series_inside_its_panel() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo().join("scenarios/global-2022.toml");
    let run = [
        "run",
        scenario.to_str().unwrap(),
        "--policy",
        "nearest",
        "--outputs",
        "none",
        "--out",
        "year",
    ];
    fairglb_ok(dir.path(), &[&run[..], &["--quiet"]].concat());
    fairglb_ok(dir.path(), &["plot", "year", "--out", "figs", "--quiet"]);
    let (w, h, px) = rgb(&dir.path().join("figs/intensity.png"));
    let at = |x: usize, y: usize| {
        [
            px[3 * (y * w + x)],
            px[3 * (y * w + x) + 1],
            px[3 * (y * w + x) + 2],
        ]
    };
    let mut panels = Vec::new();
    for y in 0..h {
        let black: Vec<usize> = (0..w).filter(|&x| at(x, y) == [0, 0, 0]).collect();
        if black.len() > w / 2 {
            let (left, right) = (black[0], *black.last().unwrap());
            let top = (0..y)
                .rev()
                .find(|&t| at(left - 1, t) == [255, 255, 255])
                .unwrap();
            panels.push((left, right, top, y));
        }
    }
    assert_eq!(panels.len(), 3, "{panels:?}");
    // Grey text is antialiased in shades of grey, so only the coloured data centers are looked for.
    let colours: Vec<[u8; 3]> = (0..10)
        .map(fairglb::plot::dc_colour)
        .map(|c| [c.0, c.1, c.2])
        .filter(|[r, g, b]| !(r == g && g == b))
        .collect();
    assert_eq!(colours.len(), 9);
    let inside = |x: usize, y: usize| {
        panels
            .iter()
            .any(|&(l, r, t, b)| l <= x + 2 && x <= r + 2 && t <= y + 2 && y <= b + 2)
    };
    let outside: Vec<(usize, usize)> = (panels[0].2 - 2..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| colours.contains(&at(x, y)) && !inside(x, y))
        .collect();
    assert!(
        outside.is_empty(),
        "{} series pixels outside the panels {panels:?}, e.g. {:?}",
        outside.len(),
        &outside[..outside.len().min(10)]
    );
}
