//! Inputs a user brings: a subset of a trace file's data centers, closed data centers, any window
//! of the traces, and trace files written by other tools (columns in any order, extra columns,
//! `timestamp_utc`), including a run's own `intensity.csv`.

use std::path::Path;

use crate::util::*;

/// The oracle's run with `extra` arguments into `dir/out`; its files but the manifest.
fn oracle_run(dir: &Path, out: &str, extra: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut args = vec!["run", "scenario.toml", "--out", out];
    args.extend_from_slice(extra);
    fairglb_ok(dir, &args);
    let mut files: Vec<(String, Vec<u8>)> = [
        "regions.csv",
        "summary.csv",
        "hourly.csv",
        "flows.csv",
        "demand.csv",
        "intensity.csv",
    ]
    .iter()
    .map(|f| (f.to_string(), std::fs::read(dir.join(out).join(f)).unwrap()))
    .collect();
    files.sort();
    files
}

#[test]
fn three_of_the_papers_ten_data_centers_run_from_its_unchanged_trace_file() {
    let dir = tempfile::tempdir().unwrap();
    let traces = repo().join("traces/paper-2022");
    let dcs = ["texas", "germany", "japan"];
    let mut scenario = format!(
        "name = \"three\"\nrouting = \"full\"\n[horizon]\nhours = 24\n[equity]\nwater_usd_per_m3 = 60.0\ncarbon_usd_per_t = 1500.0\n\
         [traces]\ndc_hourly = \"{}\"\nworkload = \"{}\"\n[workload]\ncolumn = \"gpu_power_w\"\nnormaliser = 2708.0\n",
        traces.join("dc_hourly.csv").display(),
        traces.join("workload_hourly.csv").display()
    );
    for dc in dcs {
        scenario += &format!(
            "[[dc]]\nname = \"{dc}\"\ncapacity_mw = 1.0\n[[gateway]]\nname = \"{dc}\"\nnearest_dc = \"{dc}\"\ndemand_scale_mw = 1.0\n"
        );
    }
    std::fs::write(dir.path().join("three.toml"), scenario).unwrap();
    fairglb_ok(
        dir.path(),
        &["run", "three.toml", "--out", "out", "--policy", "min-cost"],
    );

    // By hand: every hour, 3 x gpu_power_w / 2708 MW filled into the cheapest of the three first.
    let trace = read_csv(&traces.join("dc_hourly.csv"));
    let workload = read_csv(&traces.join("workload_hourly.csv"));
    let mut cost = 0.0;
    for hour in workload.iter().take(24) {
        let mut left = 3.0 * hour["gpu_power_w"].parse::<f64>().unwrap() / 2708.0;
        let mut prices: Vec<f64> = dcs
            .iter()
            .map(|dc| {
                cell(
                    &trace,
                    &[("hour_utc", &hour["hour_utc"]), ("dc", dc)],
                    "price_usd_per_mwh",
                )
            })
            .collect();
        prices.sort_by(f64::total_cmp);
        for price in prices {
            let load = left.min(1.0);
            cost += load * price;
            left -= load;
        }
    }
    let summary = read_csv(&dir.path().join("out/summary.csv"));
    assert_close(
        cell(&summary, &[("policy", "min-cost")], "cost_usd"),
        cost,
        1e-9,
        "min-cost's cost",
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap())
            .unwrap();
    let unused = manifest["unused_trace_dcs"].as_array().unwrap();
    assert_eq!(unused.len(), 7, "{unused:?}");
    assert!(unused.iter().any(|d| d == "singapore") && !unused.iter().any(|d| d == "texas"));
}

#[test]
fn a_closed_data_center_bears_nothing() {
    let dir = oracle_copy();
    let closed = ["--set", "dc.1.capacity_mw=0", "--set", "dc.0.capacity_mw=2"];
    let mut args = closed.to_vec();
    for policy in ["min-cost", "min-carbon", "eglb-offline", "eglb-online"] {
        args.extend(["--policy", policy]);
    }
    oracle_run(dir.path(), "out", &args);
    let regions = read_csv(&dir.path().join("out/regions.csv"));
    for row in regions.iter().filter(|r| r["dc"] == "b") {
        assert_eq!(
            (row["energy_mwh"].as_str(), row["water_l"].as_str()),
            ("0.0", "0.0"),
            "{row:?}"
        );
    }
    // All 0.8 + 1.6 + 0.4 MWh at a: cost 10 x 2.8, water 2 x 2.8 m3, carbon 0.5 x 2.8 t, so
    // objective 28 + 10 x 5.6 + 20 x 1.4 = 112 USD under every policy.
    for row in read_csv(&dir.path().join("out/summary.csv")) {
        assert_close(row["objective_usd"].parse().unwrap(), 112.0, 1e-9, &row["policy"]);
    }
    // Gateway gb can reach only b under partial routing: infeasible, as with any shortfall.
    let stderr = fairglb_err(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--set",
            "routing=partial",
            "--set",
            "dc.1.capacity_mw=0",
        ],
    );
    assert!(
        stderr.contains("infeasible scenario") && stderr.contains("short by 0.300000 MW"),
        "{stderr}"
    );
    let stderr = fairglb_err(
        dir.path(),
        &["run", "scenario.toml", "--set", "dc.1.capacity_mw=-1"],
    );
    assert!(
        stderr.contains("capacity_mw` must be a finite number >= 0"),
        "{stderr}"
    );
}

#[test]
fn a_window_of_the_traces_is_the_same_hours_of_the_whole_run() {
    let dir = oracle_copy();
    let policies = ["--policy", "min-cost", "--policy", "nearest"];
    oracle_run(dir.path(), "all", &policies);
    let mut args = vec![
        "--set",
        "horizon.start=2024-01-01T01:00:00Z",
        "--set",
        "horizon.hours=2",
    ];
    args.extend(policies);
    oracle_run(dir.path(), "window", &args);
    let rows = |run: &str, file: &str| -> Vec<String> {
        let text = std::fs::read_to_string(dir.path().join(run).join(file)).unwrap();
        text.lines()
            .filter(|l| !l.contains("T00:00:00Z"))
            .map(String::from)
            .collect()
    };
    for file in ["hourly.csv", "flows.csv", "demand.csv", "intensity.csv"] {
        assert_eq!(
            rows("window", file),
            rows("all", file),
            "{file}: hours 01 and 02 alike"
        );
    }
    let demand = read_csv(&dir.path().join("window/demand.csv"));
    assert_eq!(demand.len(), 4);
    assert_eq!(demand[0]["hour_utc"], "2024-01-01T01:00:00Z");

    let window_err = |sets: &[&str]| {
        let mut args = vec!["run", "scenario.toml"];
        for set in sets {
            args.extend(["--set", set]);
        }
        fairglb_err(dir.path(), &args)
    };
    let stderr = window_err(&["horizon.start=2024-01-01T05:00:00Z"]);
    assert!(stderr.contains("horizon.start = 2024-01-01T05:00:00Z, but the traces hold the hours from 2024-01-01T00:00:00Z to 2024-01-01T02:00:00Z"), "{stderr}");
    let stderr = window_err(&["horizon.start=2024-01-01T01:00:00Z", "horizon.hours=3"]);
    assert!(
        stderr.contains("horizon.hours = 3, but the traces hold only 2 hours from 2024-01-01T01:00:00Z"),
        "{stderr}"
    );
    let stderr = window_err(&["horizon.start=2024-01-01T01:30:00Z"]);
    assert!(stderr.contains("not on the hour"), "{stderr}");
    let stderr = window_err(&["horizon.start=yesterday"]);
    assert!(stderr.contains("not an RFC 3339 time"), "{stderr}");
}

#[test]
fn traces_are_read_by_column_name_in_any_order_with_extra_columns() {
    let dir = oracle_copy();
    let original = oracle_run(dir.path(), "original", &[]);

    // Columns shuffled, an extra column, the time called timestamp_utc.
    let rewrite = |file: &str, order: &[usize], rename: (&str, &str)| {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let out: Vec<String> = text
            .lines()
            .enumerate()
            .map(|(i, line)| {
                let cells: Vec<&str> = line.split(',').collect();
                let mut row: Vec<String> = order.iter().map(|&c| cells[c].to_string()).collect();
                row.push(if i == 0 {
                    "notes".into()
                } else {
                    "from another tool".into()
                });
                row.join(",").replacen(rename.0, rename.1, 1)
            })
            .collect();
        std::fs::write(&path, out.join("\n") + "\n").unwrap();
    };
    rewrite("dc_hourly.csv", &[4, 1, 3, 0, 2], ("hour_utc", "timestamp_utc"));
    rewrite("workload.csv", &[1, 0], ("", ""));
    let reordered = oracle_run(dir.path(), "reordered", &[]);
    assert_eq!(reordered, original, "the same results");

    // A run's own intensity.csv fed back as its dc_hourly.
    std::fs::copy(
        dir.path().join("original/intensity.csv"),
        dir.path().join("dc_hourly.csv"),
    )
    .unwrap();
    let fed_back = oracle_run(dir.path(), "fed-back", &[]);
    assert_eq!(fed_back, original, "intensity.csv reads as a dc_hourly trace");

    edit(dir.path(), "dc_hourly.csv", "carbon_kg_per_kwh", "carbon");
    let stderr = fairglb_err(dir.path(), &["run", "scenario.toml"]);
    assert!(
        stderr.contains(
            "dc_hourly.csv:1: no column `carbon_kg_per_kwh` (columns: hour_utc,dc,price_usd_per_mwh,carbon,"
        ),
        "{stderr}"
    );
    edit(
        dir.path(),
        "dc_hourly.csv",
        "carbon,",
        "carbon_kg_per_kwh,timestamp_utc,",
    );
    let stderr = fairglb_err(dir.path(), &["run", "scenario.toml"]);
    assert!(
        stderr.contains("more than one column `hour_utc` or `timestamp_utc`"),
        "{stderr}"
    );
}

#[test]
fn a_measured_latency_matrix_by_site_name_routes_and_scores() {
    let dir = oracle_copy();
    std::fs::write(
        dir.path().join("rtt.csv"),
        "dc,gateway,source,rtt_ms\na,ga,probe,7\nb,ga,probe,40\nb,gb,probe,3\na,gb,probe,45\na,elsewhere,probe,1\n",
    )
    .unwrap();
    let sets = [
        "routing=latency",
        "latency.matrix=\"rtt.csv\"",
        "latency.limit_rtt_ms=20",
    ];
    let mut args = vec!["--policy", "nearest", "--policy", "min-cost"];
    for set in &sets {
        args.extend(["--set", set]);
    }
    oracle_run(dir.path(), "out", &args);
    let routes = read_csv(&dir.path().join("out/routes.csv"));
    let pairs: Vec<(&str, &str, &str)> = routes
        .iter()
        .map(|r| (r["gateway"].as_str(), r["dc"].as_str(), r["rtt_ms"].as_str()))
        .collect();
    assert_eq!(
        pairs,
        [("ga", "a", "7.0"), ("gb", "b", "3.0")],
        "only the pairs within 20 ms"
    );
    // ga's 1.75 MWh at 7 ms and gb's 1.05 MWh at 3 ms: mean 15.4 / 2.8 = 5.5 ms; 95 % of the
    // demand is within 7 ms.
    let summary = read_csv(&dir.path().join("out/summary.csv"));
    for policy in ["nearest", "min-cost"] {
        assert_close(
            cell(&summary, &[("policy", policy)], "rtt_mean_ms"),
            5.5,
            1e-12,
            policy,
        );
        assert_close(
            cell(&summary, &[("policy", policy)], "rtt_p95_ms"),
            7.0,
            1e-12,
            policy,
        );
    }
    let flows = read_csv(&dir.path().join("out/flows.csv"));
    assert!(
        flows
            .iter()
            .all(|f| f["rtt_ms"] == if f["gateway"] == "ga" { "7.0" } else { "3.0" })
    );

    // The distance estimate's parameters.
    fairglb_ok(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--out",
            "straight",
            "--set",
            "latency.route_stretch=1.0",
            "--set",
            "latency.fibre_km_per_ms=300",
        ],
    );
    for route in read_csv(&dir.path().join("straight/routes.csv")) {
        let km: f64 = route["distance_km"].parse().unwrap();
        assert_close(
            route["rtt_ms"].parse().unwrap(),
            2.0 * km / 300.0,
            1e-12,
            "2 x km / 300",
        );
    }
    edit(dir.path(), "rtt.csv", "b,gb,probe,3", "b,gb,probe,-3");
    let stderr = fairglb_err(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--set",
            sets[0],
            "--set",
            sets[1],
            "--set",
            sets[2],
        ],
    );
    assert!(
        stderr.contains("[latency] matrix: ") && stderr.contains("rtt.csv:4:"),
        "{stderr}"
    );
}

#[test]
fn the_shipped_gcp_matrix_routes_the_global_year_by_measured_round_trips() {
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("measured");
    fairglb_ok(
        &repo(),
        &[
            "run",
            "scenarios/global-2022-measured-latency.toml",
            "--set",
            "horizon.hours=24",
            "--policy",
            "nearest",
            "--out",
            folder.to_str().unwrap(),
        ],
    );
    let routes = read_csv(&folder.join("routes.csv"));
    let rtt = |gateway: &str, dc: &str| cell(&routes, &[("gateway", gateway), ("dc", dc)], "rtt_ms");
    // From traces/latency/gcp_latency_matrix.csv: US-CAL-CISO -> JP-TK is 100 ms, within the
    // limit (the distance estimate puts it at 125 ms); US-MIDA-PJM to itself is the lower of its
    // two regions' entries, 5 ms; DE -> US-MIDA-PJM is 87 ms.
    assert_eq!(rtt("san-jose", "tokyo"), 100.0);
    assert_eq!(rtt("new-york", "philadelphia"), 5.0);
    assert_eq!(rtt("frankfurt", "philadelphia"), 87.0);
    let manifest = std::fs::read_to_string(folder.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("gcp_latency_matrix.csv\": \""),
        "the matrix is hashed in the manifest"
    );
    let stderr = fairglb_err(
        &repo(),
        &[
            "run",
            "scenarios/global-2022-measured-latency.toml",
            "--set",
            "latency.zones.sydney=AU-NSW",
        ],
    );
    assert!(
        stderr.contains("has no zone `AU-NSW` (dc `sydney`); its zones: TW, HK,"),
        "{stderr}"
    );
}
