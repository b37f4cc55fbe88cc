//! Trace quality on the shipped year: the alignment checks pass on the realigned fuel mix and find
//! a planted shift; the anomaly flags find PJM's collapse and NYIS's relabelled nuclear; repairing
//! them changes those hours and no other; gateways with time zones follow daylight saving.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fairglb::build::TraceCache;
use fairglb::build::quality::alignment;
use fairglb::model::Problem;
use fairglb::scenario::{Intensities, Scenario};

use crate::util::*;

fn global_path() -> PathBuf {
    repo().join("scenarios/global-2022.toml")
}

/// The year scenario with `overrides`, its traces and its problem.
fn load(overrides: &[&str]) -> (Scenario, TraceCache, Problem) {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let scenario = Scenario::load(&global_path(), &overrides).unwrap();
    let mut cache = TraceCache::default();
    cache.preload(&scenario).unwrap();
    let problem = cache.problem(&scenario).unwrap();
    (scenario, cache, problem)
}

fn flagged() -> &'static (Scenario, TraceCache, Problem) {
    static YEAR: OnceLock<(Scenario, TraceCache, Problem)> = OnceLock::new();
    YEAR.get_or_init(|| load(&[]))
}

/// The alignment warnings of `scenario`'s fuel mix.
fn warnings(scenario: &Scenario, cache: &TraceCache) -> Vec<String> {
    let Intensities::Physical(spec) = &scenario.intensities else {
        panic!("a physical scenario")
    };
    let traces = cache.physical(scenario).unwrap();
    alignment(scenario, spec, traces)
        .iter()
        .flat_map(|a| a.warnings("FILE"))
        .collect()
}

#[test]
fn the_shipped_fuel_mix_is_aligned_and_traces_check_says_so() {
    let (scenario, cache, _) = flagged();
    assert_eq!(warnings(scenario, cache), Vec::<String>::new());
    let dir = tempfile::tempdir().unwrap();
    let out = fairglb_ok(dir.path(), &["traces", "check", global_path().to_str().unwrap()]);
    assert!(out.contains("no shift found"), "{out}");
    assert!(!out.contains("warning"), "{out}");
    for line in [
        "ERCO   carbon of US-TEX-ERCO",
        "PJM    solar noon at -75.17 E",
        "CISO   carbon of US-CAL-CISO",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
}

/// A copy of the shipped fuel mix in `dir` with `ba`'s rows from `from_row` on labelled `shift`
/// hours early (each row gets the values of the row `shift` later; the last rows repeat).
fn plant_shift(dir: &Path, ba: &str, from_row: usize, shift: usize) -> PathBuf {
    let source = repo().join("traces/2022/eia930_fuelmix_2022_hourly.csv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(source).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let ba_rows: Vec<usize> = (1..lines.len())
        .filter(|&i| lines[i].split(',').nth(1) == Some(ba))
        .collect();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    for (n, &i) in ba_rows.iter().enumerate().skip(from_row) {
        let donor = lines[ba_rows[(n + shift).min(ba_rows.len() - 1)]];
        let (time_and_ba, _) = lines[i].split_at(lines[i].find(&format!(",{ba},")).unwrap() + ba.len() + 2);
        let values = &donor[donor.find(&format!(",{ba},")).unwrap() + ba.len() + 2..];
        out[i] = format!("{time_and_ba}{values}");
    }
    let path = dir.join("shifted.csv");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all((out.join("\n") + "\n").as_bytes()).unwrap();
    path
}

#[test]
fn the_alignment_checks_find_a_planted_one_hour_shift() {
    let dir = tempfile::tempdir().unwrap();
    // ERCO one hour early from 2022-04-01 (row 2,160) on.
    let path = plant_shift(dir.path(), "ERCO", 2160, 1);
    let set = format!("traces.fuel_mix={:?}", path.display().to_string());
    let (scenario, cache, _) = load(&[&set]);
    let found = warnings(&scenario, &cache);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("FILE: ERCO: solar output centred 1 h before solar noon")
            && found[0].ends_with("its hours look 1 h early"),
        "{}",
        found[0]
    );
    assert!(
        found[1].contains("ERCO: its carbon agrees best with zone US-TEX-ERCO's carbon trace 1 h later in 2022-04 to 2022-12")
            && found[1].ends_with("its hours look 1 h early"),
        "{}",
        found[1]
    );
    // The CLI prints the warning with the file's name.
    let out = fairglb_ok(
        dir.path(),
        &["traces", "check", global_path().to_str().unwrap(), "--set", &set],
    );
    let warning = format!("warning: {}: ERCO: its carbon agrees best", path.display());
    assert!(out.contains(&warning), "{out}");
}

/// The anomalous runs of a problem: (series, kind, first hour, hours).
fn runs(problem: &Problem) -> Vec<(String, String, String, usize)> {
    problem
        .trace_anomalies
        .iter()
        .map(|a| {
            (
                a.series.clone(),
                a.kind.clone(),
                a.first_hour_utc.clone(),
                a.hours,
            )
        })
        .collect()
}

#[test]
fn the_anomaly_flags_find_pjm_and_nyis_and_the_manifest_lists_them() {
    let (_, _, problem) = flagged();
    let run = |ba: &str, kind: &str, first: &str, hours| {
        (ba.to_string(), kind.to_string(), first.to_string(), hours)
    };
    // In the order of the data centers' balancing authorities (philadelphia before new-york).
    assert_eq!(
        runs(problem),
        vec![
            run("PJM", "low-total", "2022-10-01T05:00:00Z", 4),
            run("PJM", "low-total", "2022-10-02T04:00:00Z", 1),
            run("NYIS", "fuel-swap", "2022-03-20T20:00:00Z", 39),
            run("NYIS", "fuel-swap", "2022-09-26T05:00:00Z", 518),
        ]
    );
    assert!(problem.trace_anomalies.iter().all(|a| !a.repaired));
    // A run of two October days records the runs it overlaps, in its manifest.
    let dir = tempfile::tempdir().unwrap();
    fairglb_ok(
        dir.path(),
        &[
            "run",
            global_path().to_str().unwrap(),
            "--set",
            "horizon.start=\"2022-10-01T00:00:00Z\"",
            "--set",
            "horizon.hours=48",
            "--policy",
            "nearest",
            "--out",
            "out",
            "--quiet",
        ],
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap())
            .unwrap();
    let listed: Vec<(String, u64)> = manifest["trace_anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["first_hour_utc"].as_str().unwrap().to_string(),
                a["hours"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("2022-10-01T05:00:00Z".to_string(), 4),
            ("2022-10-02T04:00:00Z".to_string(), 1),
            ("2022-09-26T05:00:00Z".to_string(), 518),
        ]
    );
}

#[test]
fn interpolation_repairs_the_flagged_hours_and_no_other() {
    let (scenario, _, flagged) = flagged();
    let (_, _, repaired) = load(&["physics.anomalies=\"interpolate\""]);
    assert_eq!(runs(flagged), runs(&repaired));
    assert!(repaired.trace_anomalies.iter().all(|a| a.repaired));
    let dc = |name: &str| scenario.fleet.dcs.iter().position(|d| d == name).unwrap();
    let hour = |label: &str| flagged.hours.iter().position(|h| h == label).unwrap();
    let mut anomalous: BTreeSet<(usize, usize)> = BTreeSet::new();
    for a in &flagged.trace_anomalies {
        let d = dc(if a.series == "PJM" {
            "philadelphia"
        } else {
            "new-york"
        });
        let first = hour(&a.first_hour_utc);
        anomalous.extend((first..first + a.hours).map(|t| (t, d)));
    }
    for t in 0..flagged.n_hours() {
        for d in 0..scenario.fleet.dcs.len() {
            let (before, after) = (flagged.water_l_per_kwh[t][d], repaired.water_l_per_kwh[t][d]);
            if anomalous.contains(&(t, d)) {
                assert_ne!(before, after, "{} at {}", scenario.fleet.dcs[d], flagged.hours[t]);
            } else {
                assert_eq!(before, after, "{} at {}", scenario.fleet.dcs[d], flagged.hours[t]);
            }
        }
        assert_eq!(flagged.carbon_kg_per_kwh[t], repaired.carbon_kg_per_kwh[t]);
        assert_eq!(flagged.price_usd_per_mwh[t], repaired.price_usd_per_mwh[t]);
    }
    // Philadelphia's water in the collapse goes from almost only on-site to the neighbours' level.
    let (p, t) = (dc("philadelphia"), hour("2022-10-01T06:00:00Z"));
    let onsite = flagged.water_onsite_l_per_kwh.as_ref().unwrap()[t][p];
    assert!(
        flagged.water_l_per_kwh[t][p] - onsite < 0.2,
        "{}",
        flagged.water_l_per_kwh[t][p]
    );
    assert!(
        repaired.water_l_per_kwh[t][p] - onsite > 1.4,
        "{}",
        repaired.water_l_per_kwh[t][p]
    );
}

/// `fairglb run` of the year scenario with `edit` applied to its text, as its error.
fn year_error(edit: impl Fn(String) -> String) -> String {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(global_path()).unwrap();
    let text = text.replace("\"../traces/", &format!("\"{}/traces/", repo().display()));
    std::fs::write(dir.path().join("year.toml"), edit(text)).unwrap();
    fairglb_err(dir.path(), &["run", "year.toml", "--out", "out"])
}

#[test]
fn a_time_zone_must_be_an_iana_name_and_not_beside_an_offset() {
    let err = year_error(|t| t.replacen("\"America/New_York\"", "\"America/Nowhere\"", 1));
    assert!(
        err.contains("year.toml")
            && err.contains(
                "gateway `philadelphia`: timezone \"America/Nowhere\" is not a time zone of the IANA database"
            ),
        "{err}"
    );
    let err = year_error(|t| {
        t.replacen(
            "timezone = \"Asia/Tokyo\"",
            "timezone = \"Asia/Tokyo\"\nutc_offset_h = 9",
            1,
        )
    });
    assert!(
        err.contains("gateway `tokyo`: give utc_offset_h or timezone, not both"),
        "{err}"
    );
    let err = year_error(|t| t.replacen("anomalies = \"flag\"", "anomalies = \"smooth\"", 1));
    assert!(err.contains("anomalies") && err.contains("interpolate"), "{err}");
}
