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
