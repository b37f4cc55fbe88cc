//! The CLI end to end on the paper scenario: defaults, the authors' optima, the online targets,
//! partial routing and policy selection.

use crate::util::*;

/// Runs `fairglb run` from the repository root (the README's command) into a temporary folder.
fn run_paper(extra: &[&str]) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap().to_string();
    let mut args = vec!["run", "--out", &out_arg];
    args.extend_from_slice(extra);
    let stdout = fairglb_ok(&repo(), &args);
    (out, stdout)
}

fn summary(dir: &tempfile::TempDir, policy: &str, column: &str) -> f64 {
    cell(
        &read_csv(&dir.path().join("summary.csv")),
        &[("policy", policy)],
        column,
    )
}

#[test]
fn default_scenario_reproduces_the_authors_optima_and_online_targets() {
    let (out, stdout) = run_paper(&[]);
    assert!(
        stdout.contains("eglb-offline") && stdout.contains("457 hours, routing full"),
        "{stdout}"
    );
    let manifest = std::fs::read_to_string(out.path().join("manifest.json")).unwrap();
    assert!(manifest.contains("\"scenario\": \"paper\""), "{manifest}");
    // The authors' printed optima (traces/paper-2022/PROVENANCE.md).
    assert_close(
        summary(&out, "min-cost", "cost_usd"),
        291_698.6,
        1e-6,
        "min-cost total cost",
    );
    assert_close(
        summary(&out, "eglb-offline", "objective_usd"),
        623_661.2,
        1e-6,
        "eglb-offline objective",
    );
    // Figures matched to the digit by third parties: water peak-to-average ratios.
    assert_eq!(format!("{:.2}", summary(&out, "nearest", "water_par")), "1.45");
    assert_eq!(format!("{:.2}", summary(&out, "min-cost", "water_par")), "1.71");
    assert_eq!(format!("{:.2}", summary(&out, "min-water", "water_par")), "1.62");
    // eglb-online with its documented defaults cuts disparity as the paper's online result does.
    assert!(summary(&out, "eglb-online", "water_par") <= 1.40);
    assert!(summary(&out, "eglb-online", "carbon_par") <= 1.30);
    assert!(summary(&out, "eglb-online", "gap_to_offline") <= 0.10);
    for policy in fairglb::policy::defaults() {
        assert!(
            summary(&out, policy, "gap_to_offline") >= -1e-9,
            "{policy} beats the offline optimum"
        );
    }
    let policies = fairglb::policy::defaults().count();
    let regions = read_csv(&out.path().join("regions.csv"));
    assert_eq!(regions.len(), policies * 10);
    assert_eq!(
        read_csv(&out.path().join("hourly.csv")).len(),
        policies * 10 * 457
    );
}

#[test]
fn partial_routing_matches_the_digest() {
    let (out, _) = run_paper(&["--set", "routing=partial"]);
    // GLB-C2's worst-site water under partial flexibility, as quoted from the paper: 2,675.7 m3.
    assert_eq!(
        format!("{:.1}", summary(&out, "cost-carbon", "water_max_m3")),
        "2675.7"
    );
    for policy in fairglb::policy::defaults() {
        assert!(
            summary(&out, policy, "gap_to_offline") >= -1e-9,
            "{policy} beats the offline optimum"
        );
    }
}

#[test]
fn policy_selection_and_horizon() {
    let (out, _) = run_paper(&[
        "--policy",
        "min-cost",
        "--policy",
        "nearest",
        "--set",
        "horizon.hours=24",
    ]);
    let rows = read_csv(&out.path().join("summary.csv"));
    let policies: Vec<&str> = rows.iter().map(|r| r["policy"].as_str()).collect();
    assert_eq!(policies, ["nearest", "min-cost"]);
    assert_eq!(rows[0]["gap_to_offline"], "NaN", "no offline run, no gap");
    assert_eq!(read_csv(&out.path().join("hourly.csv")).len(), 2 * 10 * 24);
    let manifest = std::fs::read_to_string(out.path().join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"horizon.hours=24\"") && manifest.contains("\"hours\": 24"),
        "{manifest}"
    );
}

#[test]
fn help_documents_the_flags() {
    let help = fairglb_ok(&repo(), &["run", "--help"]);
    for flag in ["--set", "--policy", "--out", "scenarios/paper.toml"] {
        assert!(help.contains(flag), "{help}");
    }
}

#[test]
fn raising_a_regions_vulnerability_lowers_its_footprint() {
    let water = |out: &tempfile::TempDir, policy: &str, dc: &str, column: &str| {
        cell(
            &read_csv(&out.path().join("regions.csv")),
            &[("policy", policy), ("dc", dc)],
            column,
        )
    };
    let policies = ["--policy", "eglb-offline", "--policy", "eglb-online"];
    let (base, _) = run_paper(&policies);
    // Singapore (dc 9) has the highest water intensity; Texas (dc 0) the highest eglb-offline carbon.
    let mut args = policies.to_vec();
    args.extend([
        "--set",
        "dc.9.water_vulnerability=2",
        "--set",
        "dc.0.carbon_vulnerability=2",
    ]);
    let (weighted, _) = run_paper(&args);
    for policy in ["eglb-offline", "eglb-online"] {
        let (before, after) = (
            water(&base, policy, "singapore", "water_l"),
            water(&weighted, policy, "singapore", "water_l"),
        );
        assert!(
            after < 0.9 * before,
            "{policy}: singapore water {before} -> {after}"
        );
        let (before, after) = (
            water(&base, policy, "texas", "carbon_kg"),
            water(&weighted, policy, "texas", "carbon_kg"),
        );
        assert!(
            after < 0.95 * before,
            "{policy}: texas carbon {before} -> {after}"
        );
    }
}

#[test]
fn traces_check_reproduces_the_model_documents_table() {
    // docs/model.md §8: per-DC means and ranges over the 457 released hours.
    let out = fairglb_ok(&repo(), &["traces", "check"]);
    for expected in [
        "64.93 (  36.05- 153.40)    0.401 (0.294-0.507)     5.74 (4.65-6.88)",
        "247.08 ( -65.50- 585.07)    0.480 (0.425-0.549)     4.93 (3.54-6.54)",
        "155.46 (  75.21- 538.34)    0.526 (0.492-0.572)     7.17 (6.31-7.89)",
        "457 hours from 2022-09-22T00:00:00Z to 2022-10-11T00:00:00Z",
        "(4.801-10.000) against 10.000 MW",
    ] {
        assert!(out.contains(expected), "missing `{expected}` in:\n{out}");
    }
    let bad = tempfile::tempdir().unwrap();
    let stderr = fairglb_err(bad.path(), &["traces", "check", "missing.toml"]);
    assert!(stderr.contains("missing.toml"), "{stderr}");
}

#[test]
fn init_writes_a_study_folder_that_runs_anywhere() {
    let elsewhere = tempfile::tempdir().unwrap();
    let stderr = fairglb_err(elsewhere.path(), &["run"]);
    assert!(
        stderr.contains("scenarios/paper.toml: not found here") && stderr.contains("fairglb init DIR"),
        "{stderr}"
    );
    let stdout = fairglb_ok(elsewhere.path(), &["init", "my-study"]);
    assert!(
        stdout.contains("into my-study; next: cd my-study && fairglb run"),
        "{stdout}"
    );
    let study = elsewhere.path().join("my-study");
    // Every shipped scenario and trace, byte for byte.
    for dir in ["scenarios", "traces"] {
        for entry in walk(&repo().join(dir)) {
            let relative = entry.strip_prefix(repo()).unwrap();
            assert_eq!(
                std::fs::read(&entry).unwrap(),
                std::fs::read(study.join(relative)).unwrap(),
                "{}",
                relative.display()
            );
        }
    }
    fairglb_ok(
        &study,
        &["run", "--set", "horizon.hours=24", "--policy", "min-cost"],
    );
    let inside = tempfile::tempdir().unwrap();
    fairglb_ok(
        &repo(),
        &[
            "run",
            "--set",
            "horizon.hours=24",
            "--policy",
            "min-cost",
            "--out",
            inside.path().to_str().unwrap(),
        ],
    );
    for file in ["summary.csv", "regions.csv", "hourly.csv"] {
        assert_eq!(
            std::fs::read(study.join("results/paper").join(file)).unwrap(),
            std::fs::read(inside.path().join(file)).unwrap(),
            "{file}: the study runs as the repository does"
        );
    }
    let stderr = fairglb_err(elsewhere.path(), &["init", "my-study"]);
    assert!(stderr.contains("my-study: is not empty"), "{stderr}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn quiet_threads_ranges_and_progress_lines() {
    let dir = oracle_copy();
    let quiet = fairglb(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--out",
            "one",
            "--threads",
            "1",
            "--quiet",
        ],
    );
    assert!(
        quiet.status.success() && quiet.stdout.is_empty() && quiet.stderr.is_empty(),
        "{quiet:?}"
    );
    fairglb_ok(
        dir.path(),
        &["run", "scenario.toml", "--out", "many", "--threads", "4"],
    );
    assert_same_results(&dir.path().join("one"), &dir.path().join("many"));

    fairglb_ok(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "range",
            "--axis",
            "equity.water_usd_per_m3=0:40:3",
            "--policy",
            "min-cost",
        ],
    );
    let values: Vec<String> = read_csv(&dir.path().join("range/sweep.csv"))
        .iter()
        .map(|r| r["equity.water_usd_per_m3"].clone())
        .collect();
    assert_eq!(values, ["0.0", "20.0", "40.0"]);

    // Not a terminal (the test captures stderr): progress lines, here at every step.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_fairglb"))
        .args(["run", "scenario.toml", "--out", "lines", "--policy", "min-cost"])
        .env("FAIRGLB_PROGRESS_SECONDS", "0")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("fairglb: "))
        .unwrap_or_else(|| panic!("no progress line in {stderr:?}"));
    assert!(line.starts_with("fairglb: 1/3 policy-hours (33 %), "), "{line}");
    assert!(stderr.contains("fairglb: 3/3 policy-hours (100 %)"), "{stderr}");
}

#[test]
fn every_help_lists_what_the_command_writes() {
    let help = |command: &str| fairglb_ok(&repo(), &[command, "--help"]);
    let run = help("run");
    for text in [
        "regions.csv",
        "demand.csv",
        "flows.csv",
        "manifest.json",
        "eglb-offline",
        "--from",
        "--threads",
        "--quiet",
    ] {
        assert!(run.contains(text), "run --help lacks {text}");
    }
    let sweep = help("sweep");
    for text in [
        "sweep.csv",
        "sweep.json",
        ".journal",
        "FROM:TO:STEPS",
        "eglb-online",
    ] {
        assert!(sweep.contains(text), "sweep --help lacks {text}");
    }
    assert!(help("plot").contains("figures/") && help("plot").contains("min-water"));
    assert!(help("report").contains("report.html"));
    assert!(help("merge").contains("sweep.json"));
    assert!(help("init").contains("scenarios/ and traces/"));
}
