//! Bad input gives one clear error, exit code 2, and writes nothing.

use crate::util::*;

/// Runs the (edited) oracle copy, expects exit 2, no output folder, and `needles` in stderr.
fn fails_with(dir: &tempfile::TempDir, extra: &[&str], needles: &[&str]) {
    let mut args = vec!["run", "scenario.toml", "--out", "out"];
    args.extend_from_slice(extra);
    let stderr = fairglb_err(dir.path(), &args);
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "stderr should contain `{needle}`:\n{stderr}"
        );
    }
    assert!(
        !dir.path().join("out").exists(),
        "nothing may be written on error"
    );
}

#[test]
fn missing_scenario_file() {
    let dir = oracle_copy();
    let stderr = fairglb_err(dir.path(), &["run", "nope.toml"]);
    assert!(stderr.contains("nope.toml"), "{stderr}");
}

#[test]
fn missing_trace_file() {
    let dir = oracle_copy();
    std::fs::remove_file(dir.path().join("workload.csv")).unwrap();
    fails_with(&dir, &[], &["workload.csv"]);
}

#[test]
fn malformed_row_names_file_and_line() {
    let dir = oracle_copy();
    edit(
        dir.path(),
        "dc_hourly.csv",
        "2024-01-01T01:00:00Z,a,10,0.5,2",
        "2024-01-01T01:00:00Z,a,10,0.5",
    );
    fails_with(&dir, &[], &["dc_hourly.csv:3:"]);
}

#[test]
fn nan_and_inf_are_rejected() {
    for bad in ["NaN", "inf"] {
        let dir = oracle_copy();
        edit(
            dir.path(),
            "dc_hourly.csv",
            "2024-01-01T02:00:00Z,b,20,0.1,4",
            &format!("2024-01-01T02:00:00Z,b,20,{bad},4"),
        );
        fails_with(&dir, &[], &["dc_hourly.csv:7:", "carbon_kg_per_kwh", "finite"]);
    }
}

#[test]
fn negative_demand_is_rejected() {
    let dir = oracle_copy();
    edit(
        dir.path(),
        "workload.csv",
        "2024-01-01T01:00:00Z,1.0",
        "2024-01-01T01:00:00Z,-1.0",
    );
    fails_with(&dir, &[], &["workload.csv:3:", "negative"]);
}

#[test]
fn missing_hour_is_rejected() {
    let dir = oracle_copy();
    edit(dir.path(), "workload.csv", "2024-01-01T01:00:00Z,1.0\n", "");
    fails_with(&dir, &[], &["workload.csv:3:", "missing hour"]);
}

#[test]
fn duplicated_hour_is_rejected() {
    let dir = oracle_copy();
    edit(
        dir.path(),
        "dc_hourly.csv",
        "2024-01-01T01:00:00Z,a",
        "2024-01-01T00:00:00Z,a",
    );
    fails_with(
        &dir,
        &[],
        &["dc_hourly.csv:3:", "duplicate hour 2024-01-01T00:00:00Z"],
    );
}

#[test]
fn mismatched_dc_names_are_rejected() {
    let dir = oracle_copy();
    let path = dir.path().join("dc_hourly.csv");
    let text = std::fs::read_to_string(&path).unwrap().replace(",b,", ",c,");
    std::fs::write(path, text).unwrap();
    fails_with(
        &dir,
        &[],
        &[
            "dc names do not match",
            "missing from the file: [b]",
            "not in the scenario: [c]",
        ],
    );
}

#[test]
fn unknown_policy_is_rejected() {
    fails_with(
        &oracle_copy(),
        &["--policy", "greenest"],
        &["unknown policy `greenest`", "eglb-online"],
    );
}

#[test]
fn unknown_scenario_key_is_rejected_with_its_line() {
    let dir = oracle_copy();
    edit(
        dir.path(),
        "scenario.toml",
        "[equity]\n",
        "[equity]\nwater_weight = 3\n",
    );
    fails_with(
        &dir,
        &[],
        &["scenario.toml", "line 7", "unknown field `water_weight`"],
    );
}

#[test]
fn unknown_set_key_is_rejected() {
    fails_with(
        &oracle_copy(),
        &["--set", "equity.water=3"],
        &["--set equity.water", "unknown field `water`"],
    );
    fails_with(
        &oracle_copy(),
        &["--set", "horizon.days=3"],
        &["--set horizon.days", "unknown field `days`"],
    );
}

#[test]
fn bad_value_type_is_rejected() {
    fails_with(
        &oracle_copy(),
        &["--set", "equity.water_usd_per_m3=lots"],
        &["--set equity.water_usd_per_m3", "invalid type"],
    );
    fails_with(
        &oracle_copy(),
        &["--set", "routing=sideways"],
        &["--set routing", "unknown variant `sideways`"],
    );
    fails_with(
        &oracle_copy(),
        &["--set", "horizon.hours=-1"],
        &["--set horizon.hours"],
    );
    fails_with(
        &oracle_copy(),
        &["--set", "dc.0.capacity_mw=-1"],
        &["capacity_mw", "> 0"],
    );
}

#[test]
fn infeasible_hour_is_reported_with_its_shortfall() {
    // a holds 0.5 MW: hour 1 needs 1.6 MW of 1.5 MW.
    fails_with(
        &oracle_copy(),
        &["--set", "dc.0.capacity_mw=0.5"],
        &[
            "infeasible",
            "1 hour(s)",
            "2024-01-01T01:00:00Z short by 0.100000 MW",
            "routing `full`",
        ],
    );
    // Partial routing: gb may only use b; with b at 0.5 MW hour 1's gb (0.6 MW) is 0.1 short.
    fails_with(
        &oracle_copy(),
        &["--set", "routing=partial", "--set", "dc.1.capacity_mw=0.5"],
        &[
            "infeasible",
            "2024-01-01T01:00:00Z short by 0.100000 MW",
            "routing `partial`",
        ],
    );
}

#[test]
fn horizon_longer_than_traces_is_rejected() {
    fails_with(
        &oracle_copy(),
        &["--set", "horizon.hours=4"],
        &["horizon.hours = 4", "only 3 hours"],
    );
}

#[test]
fn latency_routing_needs_a_limit_coordinates_and_reachable_gateways() {
    fails_with(
        &oracle_copy(),
        &["--set", "routing=latency"],
        &["[latency]", "limit_km"],
    );
    fails_with(
        &oracle_copy(),
        &["--set", "routing=latency", "--set", "latency.limit_km=10"],
        &["gateway `ga`", "32 km away", "limit of 10 km"],
    );
    let dir = oracle_copy();
    edit(dir.path(), "scenario.toml", "lat = 53.35   # Dublin\n", "");
    fails_with(
        &dir,
        &["--set", "routing=latency", "--set", "latency.limit_km=2000"],
        &["dc `b` needs lat"],
    );
}

#[test]
fn nearest_policy_infeasibility_is_reported_before_running() {
    // With a at 0.9 MW, full routing can serve every hour but nearest cannot send ga's 1 MW to a.
    fails_with(
        &oracle_copy(),
        &["--set", "dc.0.capacity_mw=0.9"],
        &[
            "policy `nearest`",
            "2024-01-01T01:00:00Z dc `a` over capacity by 0.100000 MW",
        ],
    );
    let dir = oracle_copy();
    fairglb_ok(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--out",
            "out",
            "--set",
            "dc.0.capacity_mw=0.9",
            "--policy",
            "min-cost",
        ],
    );
}

#[test]
fn scenario_name_must_be_a_plain_folder_name() {
    fails_with(
        &oracle_copy(),
        &["--set", "name=../elsewhere"],
        &["plain folder name"],
    );
}

#[test]
fn overflowing_metrics_are_refused() {
    fails_with(
        &oracle_copy(),
        &["--set", "equity.water_usd_per_m3=1e308"],
        &["not finite"],
    );
}
