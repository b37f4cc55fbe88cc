//! A run's manifest reproduces it (`fairglb run --from`), records every resolved parameter, and
//! a results folder holds one run or one sweep.

use crate::util::*;

fn manifest(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn a_rerun_from_the_manifest_writes_every_file_byte_for_byte() {
    let dir = oracle_copy();
    fairglb_ok(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--out",
            "first",
            "--set",
            "equity.water_usd_per_m3=12",
            "--set",
            "routing=partial",
            "--policy",
            "eglb-online",
            "--policy",
            "nearest",
            "--outputs",
            "flows",
            "--set",
            "horizon.start=2024-01-01T01:00:00Z",
        ],
    );
    // From another folder, with the scenario file gone: the manifest is all it needs.
    std::fs::remove_file(dir.path().join("scenario.toml")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let from = dir.path().join("first/manifest.json");
    let again = dir.path().join("again");
    fairglb_ok(
        elsewhere.path(),
        &[
            "run",
            "--from",
            from.to_str().unwrap(),
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert_same_results(&dir.path().join("first"), &again);
    assert!(!again.join("hourly.csv").exists(), "the recorded --outputs");
    let m = manifest(&again);
    assert_eq!(
        (&m["command_line"][1], &m["command_line"][2]),
        (&"run".into(), &"--from".into())
    );
    assert_eq!(m["overrides"][1], "routing=partial", "the original overrides");
    assert_eq!(m["policies"], serde_json::json!(["nearest", "eglb-online"]));
    assert_eq!(
        m["effective_scenario"]["horizon"]["start"], "2024-01-01T01:00:00Z",
        "a time as plain text"
    );
}

#[test]
fn the_manifest_records_resolved_parameters_hashes_and_the_build() {
    let dir = oracle_copy();
    fairglb_ok(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--out",
            "out",
            "--set",
            "dc.1.capacity_mw=1.5",
        ],
    );
    let m = manifest(&dir.path().join("out"));
    assert_eq!(m["weights"]["water_usd_per_m3"], 10.0);
    assert_eq!(m["data_centers"][1]["capacity_mw"], 1.5);
    assert_eq!(m["data_centers"][1]["name"], "b");
    let online = &m["policy_params"]["eglb-online"];
    assert_eq!(online["step"], 1.0, "defaults applied: {online}");
    assert!(
        online.get("step_size").is_none(),
        "the absolute step unused: {online}"
    );
    assert_eq!(online["project_dual"], true);
    assert_eq!(
        m["effective_scenario"]["dc"][1]["capacity_mw"], 1.5,
        "the override applied"
    );
    let workload = dir.path().join("workload.csv");
    let key = std::path::absolute(&workload).unwrap().display().to_string();
    let bytes = std::fs::read(&workload).unwrap();
    assert_eq!(m["traces_sha256"][&key], sha256(&bytes), "{}", m["traces_sha256"]);
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repo())
        .output()
        .ok()
        .filter(|o| o.status.success());
    let commit = m["git_commit"].as_str().unwrap();
    match head {
        Some(head) => assert!(
            commit.starts_with(String::from_utf8_lossy(&head.stdout).trim()),
            "{commit}"
        ),
        None => assert!(commit.starts_with("unknown"), "{commit}"),
    }
}

#[test]
fn a_physical_run_records_each_data_centers_physics_and_reruns() {
    let out = tempfile::tempdir().unwrap();
    let (first, again) = (out.path().join("first"), out.path().join("again"));
    fairglb_ok(
        &repo(),
        &[
            "run",
            "scenarios/global-2022.toml",
            "--set",
            "horizon.hours=24",
            "--out",
            first.to_str().unwrap(),
        ],
    );
    let m = manifest(&first);
    let physics = &m["data_centers"][0]["physics"];
    assert!(
        physics["cooling"]["type"].is_string() && physics["pue"]["type"].is_string(),
        "{physics}"
    );
    assert!(
        m["traces_sha256"].as_object().unwrap().len() >= 5,
        "{}",
        m["traces_sha256"]
    );
    let from = first.join("manifest.json");
    fairglb_ok(
        out.path(),
        &[
            "run",
            "--from",
            from.to_str().unwrap(),
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert_same_results(&first, &again);
}

#[test]
fn a_rerun_refuses_a_trace_that_changed_naming_it() {
    let dir = oracle_copy();
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    edit(dir.path(), "workload.csv", "0.5", "0.6");
    let stderr = fairglb_err(
        dir.path(),
        &["run", "--from", "out/manifest.json", "--out", "again"],
    );
    assert!(stderr.contains("workload.csv changed since this run"), "{stderr}");
    assert!(!dir.path().join("again").exists());
    let stderr = fairglb_err(dir.path(), &["run", "--from", "scenario.toml"]);
    assert!(
        stderr.contains("scenario.toml: not a run's manifest.json"),
        "{stderr}"
    );
}

#[test]
fn a_folder_holds_one_run_or_one_sweep() {
    let dir = oracle_copy();
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "run"]);
    let before = std::fs::read(dir.path().join("run/summary.csv")).unwrap();
    let stderr = fairglb_err(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "run",
            "--axis",
            "routing=full,partial",
        ],
    );
    assert!(
        stderr.contains("run: holds the results of a run (manifest.json)"),
        "{stderr}"
    );
    assert!(!dir.path().join("run/sweep.csv").exists() && !dir.path().join("run/.lock").exists());
    assert_eq!(std::fs::read(dir.path().join("run/summary.csv")).unwrap(), before);

    fairglb_ok(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "sweep",
            "--axis",
            "routing=full,partial",
        ],
    );
    let stderr = fairglb_err(dir.path(), &["run", "scenario.toml", "--out", "sweep"]);
    assert!(
        stderr.contains("sweep: holds a sweep (sweep.json, sweep.csv)"),
        "{stderr}"
    );
    assert!(!dir.path().join("sweep/manifest.json").exists());
    // The same sweep again resumes in its own folder.
    fairglb_ok(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "sweep",
            "--axis",
            "routing=full,partial",
        ],
    );
    // Merging into a run's folder would replace the run: refused too.
    let stderr = fairglb_err(dir.path(), &["merge", "sweep", "--out", "run"]);
    assert!(
        stderr.contains("run: holds the results of a run (manifest.json)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(dir.path().join("run/summary.csv")).unwrap(), before);
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
