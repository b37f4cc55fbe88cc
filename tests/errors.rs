//! Bad input gives one clear error, exit code 2, and writes nothing.

use crate::util::*;

/// Runs the (edited) oracle copy, expects exit 2, no output folder, and `needles` in stderr.
fn fails_with(dir: &tempfile::TempDir, extra: &[&str], needles: &[&str]) {
    fails_in(dir.path(), "scenario.toml", extra, needles);
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
            "has no rows for the data centers [b] of",
            "(the file holds [a, c])",
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
        &["capacity_mw", ">= 0"],
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

// The physical year scenario (scenarios/global-2022.toml). Test names start with `physical_` so
// that `cargo test physical` runs them with the module of that name.

/// [`fails_in`] a fresh folder, for a scenario given by path.
fn physical_fails_with(scenario: &std::path::Path, extra: &[&str], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    fails_in(dir.path(), scenario.to_str().unwrap(), extra, needles);
}

fn global() -> std::path::PathBuf {
    repo().join("scenarios/global-2022.toml")
}

/// A full copy of the global scenario in `dir`, its trace paths made absolute, with `from`
/// replaced by `to` (tables merge key by key under `base`, so removing a key needs a copy).
fn global_copy(dir: &std::path::Path, from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(global()).unwrap();
    let traces = format!("\"{}/traces/", repo().display());
    let text = text.replace("\"../traces/", &traces);
    assert!(!text.contains("../"), "a relative path is left");
    assert!(text.contains(from), "global-2022.toml has no `{from}`");
    let path = dir.join("global.toml");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn physical_negative_currency_rate_is_rejected() {
    physical_fails_with(
        &global(),
        &["--set", "physics.usd_per.EUR=-1"],
        &["physics.usd_per.EUR", "> 0", "-1"],
    );
}

#[test]
fn physical_missing_currency_rate_names_the_field_and_region() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = global_copy(dir.path(), "EUR = 1.0534\n", "");
    physical_fails_with(
        &scenario,
        &["--set", "horizon.hours=2"],
        &["physics.usd_per.EUR", "DE-LU", "frankfurt"],
    );
    // The copy is otherwise complete: with the rate given back it loads.
    fairglb_ok(
        dir.path(),
        &[
            "traces",
            "check",
            scenario.to_str().unwrap(),
            "--set",
            "physics.usd_per.EUR=1.0534",
        ],
    );
}

#[test]
fn physical_unknown_region_names_the_weather_file() {
    physical_fails_with(
        &global(),
        &["--set", "dc.0.region=NOWHERE"],
        &["weather_2022_hourly.csv.gz", "NOWHERE", "dc `dallas` region"],
    );
}

#[test]
fn physical_normaliser_is_for_trace_workloads_only() {
    physical_fails_with(
        &global(),
        &["--set", "workload.normaliser=5"],
        &["workload.normaliser", "trace"],
    );
}

#[test]
fn physical_bad_cooling_names_the_data_center() {
    // Toronto (dc 4) has its own cooling table; dallas (dc 0) takes physics.cooling.
    physical_fails_with(
        &global(),
        &["--set", "dc.4.cooling.cycles=1"],
        &["dc `toronto`", "cooling", "cycles", "> 1"],
    );
    physical_fails_with(
        &global(),
        &["--set", "physics.cooling.cycles=1"],
        &["dc `dallas`", "cooling", "cycles", "> 1"],
    );
    physical_fails_with(
        &global(),
        &["--set", "dc.0.cooling={type=\"cooling-tower\",cycles=1}"],
        &["dc `dallas`", "cooling", "cycles", "> 1"],
    );
    // Setting one key of a cooling table dallas does not have makes a table without a type.
    physical_fails_with(
        &global(),
        &["--set", "dc.0.cooling.cycles=1"],
        &["--set dc.0.cooling.cycles", "missing field `type`"],
    );
}

/// A scenario in `dir` extending the global one with its weather read from `dir/weather.csv.gz`,
/// which holds `rows` (gzip).
fn global_with_weather(dir: &std::path::Path, rows: &str) -> std::path::PathBuf {
    use std::io::Write as _;
    let header = "timestamp_utc,region,site,lat,lon,elevation_m,temp_c,rh_pct,wetbulb_c\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(header.as_bytes()).unwrap();
    gz.write_all(rows.as_bytes()).unwrap();
    std::fs::write(dir.join("weather.csv.gz"), gz.finish().unwrap()).unwrap();
    let path = dir.join("scenario.toml");
    std::fs::write(
        &path,
        format!(
            "base = {:?}\n\n[traces]\nweather = \"weather.csv.gz\"\n",
            global().display().to_string()
        ),
    )
    .unwrap();
    path
}

#[test]
fn physical_bad_weather_row_names_the_file_and_line() {
    let good = "2022-01-01T00:00:00Z,US-TEX-ERCO,Dallas,32.79,-96.82,142,10.5,50,5.9\n";
    for (bad, needles) in [
        (
            "2022-01-01T01:00:00Z,US-TEX-ERCO,Dallas,32.79,-96.82,142,warm,50,5.9\n",
            &["weather.csv.gz:3:", "temp_c", "warm"][..],
        ),
        (
            "2022-01-01T01:00:00Z,US-TEX-ERCO,Dallas,32.79,-96.82,142,10.5,-3,5.9\n",
            &["weather.csv.gz:3:", "rh_pct", "negative"][..],
        ),
        (
            "2022-01-01T01:00:00Z,US-TEX-ERCO,Dallas,32.79\n",
            &["weather.csv.gz:3:"][..],
        ),
        (
            "2022-01-01T03:00:00Z,US-TEX-ERCO,Dallas,32.79,-96.82,142,10.5,50,5.9\n",
            &["weather.csv.gz:3:", "2 missing hour(s)"][..],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let scenario = global_with_weather(dir.path(), &format!("{good}{bad}"));
        physical_fails_with(&scenario, &[], needles);
    }
}

#[test]
fn physical_corrupt_gzip_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = global_with_weather(dir.path(), "");
    std::fs::write(
        dir.path().join("weather.csv.gz"),
        b"timestamp_utc,region\nnot gzip",
    )
    .unwrap();
    physical_fails_with(&scenario, &[], &["weather.csv.gz", "gzip"]);
    // A download cut short: the first 300 kB of the real file.
    truncate_weather(dir.path());
    physical_fails_with(&scenario, &[], &["weather.csv.gz", "incomplete deflate stream"]);
}

/// Writes the first 300 kB of the real weather file as `dir/weather.csv.gz`.
fn truncate_weather(dir: &std::path::Path) {
    let full = std::fs::read(repo().join("traces/2022/weather_2022_hourly.csv.gz")).unwrap();
    std::fs::write(dir.join("weather.csv.gz"), &full[..300_000]).unwrap();
}

#[test]
fn physical_truncated_gzip_does_not_claim_line_0() {
    // Error::Row lines are 1-based; the stream ends after some 35,000 good rows.
    let dir = tempfile::tempdir().unwrap();
    let scenario = global_with_weather(dir.path(), "");
    truncate_weather(dir.path());
    let stderr = fairglb_err(dir.path(), &["run", scenario.to_str().unwrap(), "--out", "out"]);
    assert!(stderr.contains("weather.csv.gz"), "{stderr}");
    assert!(!stderr.contains("weather.csv.gz:0:"), "{stderr}");
}

#[test]
fn physical_weather_shorter_than_the_other_traces_is_rejected() {
    // Two good hours: the carbon file covers 8,760.
    let dir = tempfile::tempdir().unwrap();
    let rows = "2022-01-01T00:00:00Z,US-TEX-ERCO,Dallas,32.79,-96.82,142,10.5,50,5.9\n\
                2022-01-01T01:00:00Z,US-TEX-ERCO,Dallas,32.79,-96.82,142,10.5,50,5.9\n";
    let scenario = global_with_weather(dir.path(), rows);
    physical_fails_with(
        &scenario,
        &[],
        &[
            "carbon_2022_hourly.csv.gz",
            "covers 8760 hours",
            "weather.csv.gz",
            "2 hours",
        ],
    );
}

#[test]
fn physical_settings_on_precomputed_traces_are_rejected_not_ignored() {
    let paper = repo().join("scenarios/paper.toml");
    for (set, needle) in [
        (
            "physics.pue={type=\"constant\",value=1.2}",
            "[physics] carbon, anomalies, cooling, pue",
        ),
        (
            "physics.usd_per.EUR=1.05",
            "[physics] carbon, anomalies, cooling, pue",
        ),
        (
            "physics.anomalies=interpolate",
            "[physics] carbon, anomalies, cooling, pue",
        ),
        ("dc.0.fossil_fuel=coal", "dc `texas`: region, grid_ba"),
        (
            "dc.0.price_region=BE",
            "dc `texas`: region, grid_ba, mix_zone, price_region",
        ),
        (
            "traces.weather=weather.csv",
            "either dc_hourly or the physical traces",
        ),
    ] {
        physical_fails_with(&paper, &["--set", set], &[needle, "dc_hourly"]);
    }
}

#[test]
fn workload_covering_other_hours_than_the_intensities_is_rejected() {
    // One hour more than the intensity file: not silently dropped.
    let dir = oracle_copy();
    let path = dir.path().join("workload.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let last = text.lines().last().unwrap().to_string();
    let (_, value) = last.split_once(',').unwrap();
    text.push_str(&format!("2024-01-01T03:00:00Z,{value}\n"));
    std::fs::write(&path, text).unwrap();
    fails_with(
        &dir,
        &[],
        &["workload.csv", "covers 4 hours", "3 hours", "same hours"],
    );
}
