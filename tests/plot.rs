//! `fairglb plot` and `fairglb report` on small fixtures made by the tool itself (the oracle
//! scenario and a sweep of it): every figure renders to a valid, non-empty PNG and SVG of the
//! expected size, the report holds every figure and the summary, and bad input names its file.

use std::path::Path;

use crate::util::*;

/// The figures of the oracle run (8 policies).
const RUN_FIGURES: [&str; 5] = [
    "regions",
    "par_vs_cost",
    "load_eglb-offline",
    "online_vs_offline",
    "intensity",
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

/// The SVG's physical width (inches) and its viewBox's size.
fn svg_size(svg: &str) -> (f64, (u32, u32)) {
    let attr = |name: &str| {
        let start = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        svg[start..start + svg[start..].find('"').unwrap()].to_string()
    };
    let inches = attr("width").trim_end_matches("in").parse().unwrap();
    let view: Vec<u32> = attr("viewBox").split(' ').map(|v| v.parse().unwrap()).collect();
    (inches, (view[2], view[3]))
}

/// Every text's size in points at print size, measured from the glyphs' scale (em = scale x
/// 2,048 font units, in 300-dpi pixels), and the sizes the SVG says (`data-pt`).
fn text_points(svg: &str) -> (Vec<f64>, Vec<f64>) {
    let (inches, (view_w, _)) = svg_size(svg);
    let pt_per_px = inches * 72.0 / f64::from(view_w);
    let drawn = svg
        .split(") scale(")
        .skip(1)
        .map(|rest| rest.split(' ').next().unwrap().parse::<f64>().unwrap() * 2048.0 * pt_per_px)
        .collect();
    let said = svg
        .split("data-pt=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse::<f64>().unwrap())
        .collect();
    (drawn, said)
}

/// Checks an SVG figure: no `<text>` (every text outlined), every glyph used is defined, some
/// marks; returns its text sizes in points.
fn check_svg(name: &str, svg: &str) -> Vec<f64> {
    assert!(svg.trim_end().ends_with("</svg>"), "{name}.svg is not closed");
    assert!(
        !svg.contains("<text"),
        "{name}.svg names a font instead of outlining its text"
    );
    for used in svg.split("href=\"#").skip(1) {
        let id = used.split('"').next().unwrap();
        assert!(
            svg.contains(&format!("<path id=\"{id}\"")),
            "{name}.svg uses the undefined glyph {id}"
        );
    }
    let marks =
        svg.matches("<rect").count() + svg.matches("<polyline").count() + svg.matches("<circle").count();
    assert!(
        svg.matches("aria-label=").count() >= 5 && marks >= 10,
        "{name}.svg has too few marks"
    );
    let (drawn, said) = text_points(svg);
    assert_eq!(drawn.len(), svg.matches("<use ").count(), "{name}.svg");
    assert!(!drawn.is_empty());
    said
}

#[test]
fn every_figure_renders_as_png_and_svg_at_print_size() {
    let dir = fixture();
    let stdout = fairglb_ok(dir.path(), &["plot", "run", "--format", "both"]);
    for name in RUN_FIGURES {
        let png = dir.path().join(format!("run/figures/{name}.png"));
        assert!(stdout.contains(&format!("{name}.png")), "{stdout}");
        let ((w, h), inked) = png_facts(&png);
        assert_eq!(w, 1050, "{name}.png is a 3.5 in column at 300 dpi");
        assert!(
            inked > 0.02,
            "{name}.png is nearly blank ({:.1}% inked)",
            100.0 * inked
        );
        let svg = std::fs::read_to_string(dir.path().join(format!("run/figures/{name}.svg"))).unwrap();
        assert_eq!(
            svg_size(&svg),
            (3.5, (w, h)),
            "{name}.svg and {name}.png differ in size"
        );
        check_svg(name, &svg);
    }
    fairglb_ok(
        dir.path(),
        &[
            "plot", "run", "--format", "svg", "--width", "double", "--out", "wide",
        ],
    );
    let svg = std::fs::read_to_string(dir.path().join("wide/par_vs_cost.svg")).unwrap();
    assert_eq!(svg_size(&svg).0, 7.0);
    assert_eq!(svg_size(&svg).1.0, 2100);
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

/// Every text of every figure, at either width, is at least 7 pt at print size, measured from
/// the glyphs drawn, and the sizes the SVG states agree with the glyphs.
#[test]
fn no_text_is_smaller_than_7_points_at_print_size() {
    let dir = fixture();
    for width in ["single", "double"] {
        let out = format!("figs-{width}");
        let svg = ["--format", "svg", "--width", width, "--label-points", "--out"];
        fairglb_ok(
            dir.path(),
            &[&["plot", "run"][..], &svg, &[&format!("{out}/run")]].concat(),
        );
        fairglb_ok(
            dir.path(),
            &[&["plot", "sweep"][..], &svg, &[&format!("{out}/sweep")]].concat(),
        );
        let mut checked = 0;
        for folder in ["run", "sweep"] {
            for entry in std::fs::read_dir(dir.path().join(&out).join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "svg") {
                    continue;
                }
                let svg = std::fs::read_to_string(&path).unwrap();
                let said = check_svg(&path.display().to_string(), &svg);
                let (drawn, _) = text_points(&svg);
                let smallest = drawn.iter().copied().fold(f64::INFINITY, f64::min);
                assert!(
                    smallest >= 7.0 - 1e-3,
                    "{}: a text of {smallest:.2} pt",
                    path.display()
                );
                assert!(said.iter().all(|&pt| pt >= 7.0 - 1e-3), "{}", path.display());
                checked += 1;
            }
        }
        assert_eq!(checked, RUN_FIGURES.len() + 1, "{width}");
    }
}

/// The regions figure outlines every region within 1e-6 of the highest, as `regions.csv` gives
/// them, and says how many tie.
#[test]
fn every_region_tied_at_the_maximum_is_outlined_and_counted() {
    let dir = fixture();
    fairglb_ok(dir.path(), &["plot", "run", "--format", "svg"]);
    let svg = std::fs::read_to_string(dir.path().join("run/figures/regions.svg")).unwrap();
    let regions = std::fs::read_to_string(dir.path().join("run/regions.csv")).unwrap();
    let mut lines = regions.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut labels = Vec::new();
    let mut outlined = 0;
    for policy in fairglb::policy::defaults() {
        for metric in ["water_l", "carbon_kg"] {
            let values: Vec<f64> = rows
                .iter()
                .filter(|r| r[column("policy")] == policy)
                .map(|r| r[column(metric)].parse().unwrap())
                .collect();
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let tied = values.iter().filter(|&&v| v >= max * (1.0 - 1e-6)).count();
            outlined += tied;
            labels.push(if tied > 1 {
                format!("{tied} tied at ")
            } else {
                "max ".to_string()
            });
        }
    }
    let drawn: Vec<&str> = svg
        .split("aria-label=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .filter(|text| text.starts_with("max ") || text.contains(" tied at "))
        .collect();
    assert_eq!(drawn.len(), labels.len(), "{drawn:?}");
    for (drawn, expected) in drawn.iter().zip(&labels) {
        assert!(
            drawn.starts_with(expected.as_str()),
            "{drawn} is not {expected}..."
        );
    }
    assert!(
        labels.iter().any(|l| l.contains("tied")),
        "the fixture has a tie: {labels:?}"
    );
    let outlines = svg.matches("stroke-width=\"4\" stroke=\"#000000\"/>").count();
    assert_eq!(outlines, outlined, "one outline per tied region");
}

#[test]
fn sweep_figures_follow_the_axes_and_the_chosen_load_policy() {
    let dir = fixture();
    fairglb_ok(dir.path(), &["plot", "sweep", "--out", "figs"]);
    let ((w, _), inked) = png_facts(&dir.path().join("figs/tradeoff.png"));
    assert_eq!(w, 1050);
    assert!(inked > 0.02);
    // A sweep of no equity weight has no trade-off, but a metric against its axis.
    fairglb_ok(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "caps",
            "--axis",
            "online.z_cap=0.5,2,8",
            "--quiet",
        ],
    );
    fairglb_ok(
        dir.path(),
        &["plot", "caps", "--format", "svg", "--out", "cap-figs"],
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("cap-figs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .filter(|n: &String| !n.starts_with('.'))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "carbon_par_vs_online.z_cap.svg",
            "gap_to_offline_vs_online.z_cap.svg",
            "water_par_vs_online.z_cap.svg"
        ]
    );
    let args = [
        "plot",
        "caps",
        "--format",
        "svg",
        "--out",
        "energy",
        "--y",
        "energy_mwh",
    ];
    fairglb_ok(dir.path(), &args);
    let svg = std::fs::read_to_string(dir.path().join("energy/energy_mwh_vs_online.z_cap.svg")).unwrap();
    assert!(svg.contains("aria-label=\"online.z_cap\""), "the x axis is named");
    // A non-numeric axis is not drawn along x, but makes panels.
    let args = [
        "sweep",
        "scenario.toml",
        "--out",
        "mixed",
        "--quiet",
        "--axis",
        "routing=full,partial",
    ];
    fairglb_ok(dir.path(), &[&args[..], &["--axis", "online.z_cap=1,4"]].concat());
    fairglb_ok(
        dir.path(),
        &["plot", "mixed", "--format", "svg", "--y", "water_par"],
    );
    let svg =
        std::fs::read_to_string(dir.path().join("mixed/figures/water_par_vs_online.z_cap.svg")).unwrap();
    assert!(
        svg.contains("aria-label=\"routing = partial\""),
        "a panel per routing"
    );
    let stderr = fairglb_err(dir.path(), &["plot", "mixed", "--x", "routing"]);
    assert!(
        stderr.contains("`routing`: `full` is not a finite number"),
        "{stderr}"
    );
    let stderr = fairglb_err(dir.path(), &["plot", "caps", "--x", "online.step_size"]);
    assert!(
        stderr.contains("sweep.csv")
            && stderr.contains("no sweep axis `online.step_size`")
            && stderr.contains("online.z_cap"),
        "{stderr}"
    );
    let stderr = fairglb_err(dir.path(), &["plot", "caps", "--y", "happiness"]);
    assert!(stderr.contains("no result column `happiness`"), "{stderr}");
    let stderr = fairglb_err(dir.path(), &["plot", "caps", "--clip-quantile", "1.5"]);
    assert!(stderr.contains("not a quantile"), "{stderr}");
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
    for name in RUN_FIGURES {
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
    for policy in fairglb::policy::defaults() {
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
    fairglb_ok(
        dir.path(),
        &["plot", "year", "--out", "figs", "--format", "both", "--quiet"],
    );
    // A year is drawn a point per day, on a time axis of months.
    let svg = std::fs::read_to_string(dir.path().join("figs/intensity.svg")).unwrap();
    let lines: Vec<usize> = svg
        .split("<polyline")
        .skip(1)
        .map(|l| {
            l.split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .split_whitespace()
                .count()
        })
        .filter(|&points| points > 100)
        .collect();
    assert_eq!(lines.len(), 30, "a line per data center and panel");
    assert!(lines.iter().all(|&points| points == 365), "{lines:?}");
    for month in ["Jan", "Apr", "Jul", "Oct"] {
        assert!(
            svg.contains(&format!("aria-label=\"{month}\"")),
            "no {month} tick"
        );
    }
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

/// An axis over one policy's own parameters draws a line per value for that policy (not a panel
/// per value for all); linked keys that end alike are labelled by that ending.
#[test]
fn own_parameter_axes_split_lines_and_linked_axes_are_named_by_their_ending() {
    let dir = fixture();
    let sweep = [
        "sweep",
        "scenario.toml",
        "--out",
        "own",
        "--quiet",
        "--axis",
        "policy.rhc.window+policy.afhc.window=1,2",
        "--axis",
        "policy.drift-plus-penalty.v=100,1000",
        "--policy",
        "rhc",
        "--policy",
        "afhc",
        "--policy",
        "drift-plus-penalty",
        "--policy",
        "eglb-offline",
    ];
    fairglb_ok(dir.path(), &sweep);
    let args = ["plot", "own", "--format", "svg", "--y", "cost_usd", "--out", "f"];
    fairglb_ok(dir.path(), &args);
    let svg = std::fs::read_to_string(dir.path().join("f/cost_usd_vs_window.svg")).unwrap();
    for label in [
        "drift-plus-penalty v=100",
        "drift-plus-penalty v=1000",
        "rhc",
        "afhc",
    ] {
        assert!(
            svg.contains(&format!("aria-label=\"{label}\"")),
            "{label} in the key"
        );
    }
    assert!(
        svg.contains("aria-label=\"window\""),
        "the x axis named by the keys' ending"
    );
    assert!(!svg.contains("aria-label=\"v = "), "no panel per v");
}
