//! `fairglb sweep` and `fairglb merge`: expansion, validation before running, byte-identical
//! results for 1 and N threads, resume after interruption (including SIGKILL mid-run), and
//! shard + merge equal to a single-machine sweep.

use std::path::Path;

use crate::util::*;

const AXES: [&str; 4] = [
    "--axis",
    "equity.water_usd_per_m3=0,10,40",
    "--axis",
    "routing=full,partial",
];

/// Runs a sweep of the oracle scenario into `dir/name` with extra arguments; returns stdout.
fn sweep(dir: &Path, name: &str, extra: &[&str]) -> String {
    let mut args = vec!["sweep", "scenario.toml", "--out", name];
    args.extend_from_slice(&AXES);
    args.extend_from_slice(extra);
    fairglb_ok(dir, &args)
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn cartesian_runs_in_order_with_axis_columns() {
    let dir = oracle_copy();
    let stdout = sweep(
        dir.path(),
        "out",
        &["--policy", "min-cost", "--policy", "eglb-offline"],
    );
    assert!(stdout.contains("6 runs x 2 policies"), "{stdout}");
    let rows = read_csv(&dir.path().join("out/sweep.csv"));
    assert_eq!(rows.len(), 12);
    let first: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["run"].as_str(),
                r["equity.water_usd_per_m3"].as_str(),
                r["routing"].as_str(),
                r["policy"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        first[..4],
        [
            ("0", "0.0", "full", "min-cost"),
            ("0", "0.0", "full", "eglb-offline"),
            ("1", "0.0", "partial", "min-cost"),
            ("1", "0.0", "partial", "eglb-offline")
        ]
    );
    assert_eq!(first[10], ("5", "40.0", "partial", "min-cost"));
    // Run 4 = water weight 40, full routing: min-cost objective 34 + 40 x 4.4 + 20 x 1.1 (tests/oracle.rs).
    assert_close(
        cell(&rows, &[("run", "4"), ("policy", "min-cost")], "objective_usd"),
        34.0 + 176.0 + 22.0,
        1e-9,
        "run 4",
    );
}

#[test]
fn scenario_sweep_table_with_ranges() {
    let dir = oracle_copy();
    let text = std::fs::read_to_string(dir.path().join("scenario.toml")).unwrap();
    let table = "\n[sweep]\npolicies = [\"nearest\"]\n\n[sweep.axes]\n\"equity.carbon_usd_per_t\" = { from = 1, to = 100, steps = 3, log = true }\n\"dc.0.capacity_mw\" = { from = 1.0, to = 2.0, steps = 3 }\n";
    std::fs::write(dir.path().join("scenario.toml"), text + table).unwrap();
    let stdout = fairglb_ok(dir.path(), &["sweep", "scenario.toml", "--out", "out"]);
    assert!(stdout.contains("9 runs x 1 policies"), "{stdout}");
    let rows = read_csv(&dir.path().join("out/sweep.csv"));
    let carbon: Vec<&str> = rows
        .iter()
        .map(|r| r["equity.carbon_usd_per_t"].as_str())
        .collect();
    assert_eq!(
        carbon,
        [
            "1.0", "1.0", "1.0", "10.0", "10.0", "10.0", "100.0", "100.0", "100.0"
        ]
    );
    let capacity: Vec<&str> = rows
        .iter()
        .take(3)
        .map(|r| r["dc.0.capacity_mw"].as_str())
        .collect();
    assert_eq!(capacity, ["1.0", "1.5", "2.0"]);
}

#[test]
fn bad_axes_fail_before_anything_runs() {
    let dir = oracle_copy();
    let cases: [(&[&str], &str); 5] = [
        (&["--axis", "equity.nope=1,2"], "unknown field `nope`"),
        (&["--axis", "equity.water_usd_per_m3=1,abc"], "sweep run 1"),
        (&["--axis", "routing=full,sideways"], "unknown variant `sideways`"),
        (&["--axis", "dc.0.capacity_mw=1,0.5"], "infeasible"),
        (&["--axis", "novalues"], "KEY=V1,V2"),
    ];
    for (extra, needle) in cases {
        let mut args = vec!["sweep", "scenario.toml", "--out", "out"];
        args.extend_from_slice(extra);
        let stderr = fairglb_err(dir.path(), &args);
        assert!(stderr.contains(needle), "{extra:?}: {stderr}");
        assert!(
            !dir.path().join("out").exists(),
            "{extra:?}: nothing may run or be written"
        );
    }
    let stderr = fairglb_err(dir.path(), &["sweep", "scenario.toml", "--out", "out"]);
    assert!(stderr.contains("no sweep axes"), "{stderr}");
    let stderr = fairglb_err(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--axis",
            "routing=full",
            "--shard",
            "3/2",
        ],
    );
    assert!(stderr.contains("3/2"), "{stderr}");
}

#[test]
fn one_and_two_threads_write_identical_bytes() {
    let dir = oracle_copy();
    sweep(dir.path(), "one", &["--threads", "1"]);
    sweep(dir.path(), "two", &["--threads", "2"]);
    assert_eq!(
        bytes(&dir.path().join("one/sweep.csv")),
        bytes(&dir.path().join("two/sweep.csv"))
    );
}

#[test]
fn rerun_resumes_skipping_finished_runs() {
    let dir = oracle_copy();
    sweep(dir.path(), "whole", &[]);
    // Simulate an interruption after some runs: keep runs 0, 2 and 3 in the journal only.
    sweep(dir.path(), "cut", &[]);
    for run in [1, 4, 5] {
        std::fs::remove_file(dir.path().join(format!("cut/.journal/run-{run:06}.csv"))).unwrap();
    }
    std::fs::remove_file(dir.path().join("cut/sweep.csv")).unwrap();
    let stdout = sweep(dir.path(), "cut", &[]);
    assert!(stdout.contains("3 already finished, 3 run now"), "{stdout}");
    assert_eq!(
        bytes(&dir.path().join("whole/sweep.csv")),
        bytes(&dir.path().join("cut/sweep.csv"))
    );
    let stdout = sweep(dir.path(), "cut", &[]);
    assert!(stdout.contains("6 already finished, 0 run now"), "{stdout}");
    // A different sweep into the same folder is refused.
    let stderr = fairglb_err(
        dir.path(),
        &["sweep", "scenario.toml", "--out", "cut", "--axis", "routing=full"],
    );
    assert!(stderr.contains("holds another sweep"), "{stderr}");
}

#[test]
fn sigkill_mid_sweep_leaves_whole_rows_and_resumes_to_identical_bytes() {
    let out = tempfile::tempdir().unwrap();
    let (killed, clean) = (out.path().join("killed"), out.path().join("clean"));
    let args = |dir: &Path| -> Vec<String> {
        [
            "sweep",
            "scenarios/paper.toml",
            "--threads",
            "1",
            "--policy",
            "eglb-offline",
            "--policy",
            "min-cost",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([
            "--axis".into(),
            format!(
                "equity.water_usd_per_m3={}",
                (1..=30).map(|w| w.to_string()).collect::<Vec<_>>().join(",")
            ),
        ])
        .chain(["--out".into(), dir.display().to_string()])
        .collect()
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fairglb"))
        .args(args(&killed))
        .current_dir(repo())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let journal = killed.join(".journal");
    let finished = || {
        std::fs::read_dir(&journal).map_or(0, |d| {
            d.filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".csv")
            })
            .count()
        })
    };
    let start = std::time::Instant::now();
    while finished() < 3 && start.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let done = finished();
    assert!(
        (3..30).contains(&done),
        "killed after {done} of 30 runs; make the runs slower"
    );
    // sweep.csv is rebuilt from the first finished run on, so it exists by now.
    {
        let text = std::fs::read_to_string(killed.join("sweep.csv")).expect("sweep.csv after three runs");
        assert!(text.ends_with('\n'), "partial row in sweep.csv");
        let runs: Vec<String> = read_csv(&killed.join("sweep.csv"))
            .iter()
            .map(|r| format!("{}-{}", r["run"], r["policy"]))
            .collect();
        let unique: std::collections::BTreeSet<&String> = runs.iter().collect();
        assert_eq!(unique.len(), runs.len(), "duplicate rows");
    }
    fairglb_ok(
        &repo(),
        &args(&killed).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    fairglb_ok(
        &repo(),
        &args(&clean).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(bytes(&killed.join("sweep.csv")), bytes(&clean.join("sweep.csv")));
}

#[test]
fn shards_merge_to_the_single_machine_bytes() {
    let dir = oracle_copy();
    sweep(dir.path(), "single", &[]);
    for k in 1..=4 {
        sweep(dir.path(), &format!("shard-{k}"), &["--shard", &format!("{k}/4")]);
    }
    let stdout = fairglb_ok(
        dir.path(),
        &[
            "merge", "shard-1", "shard-2", "shard-3", "shard-4", "--out", "merged",
        ],
    );
    assert!(stdout.contains("6 runs"), "{stdout}");
    for file in ["sweep.csv", "sweep.json"] {
        assert_eq!(
            bytes(&dir.path().join("single").join(file)),
            bytes(&dir.path().join("merged").join(file)),
            "{file}"
        );
    }
    // A missing shard, or one given twice, is an error.
    let stderr = fairglb_err(
        dir.path(),
        &["merge", "shard-1", "shard-2", "shard-3", "--out", "bad"],
    );
    assert!(stderr.contains("missing runs"), "{stderr}");
    let stderr = fairglb_err(dir.path(), &["merge", "shard-1", "shard-1", "--out", "bad"]);
    assert!(stderr.contains("is also in"), "{stderr}");
}

#[test]
fn keep_runs_writes_each_runs_detail_files() {
    let dir = oracle_copy();
    sweep(dir.path(), "out", &["--keep-runs", "--policy", "min-cost"]);
    for run in 0..6 {
        let folder = dir.path().join(format!("out/runs/run-{run:06}"));
        for file in ["regions.csv", "hourly.csv", "summary.csv", "manifest.json"] {
            assert!(folder.join(file).exists(), "{}/{file}", folder.display());
        }
    }
}

#[test]
fn changed_traces_make_another_sweep() {
    let dir = oracle_copy();
    sweep(dir.path(), "out", &[]);
    edit(
        dir.path(),
        "dc_hourly.csv",
        "2024-01-01T00:00:00Z,a,10,",
        "2024-01-01T00:00:00Z,a,11,",
    );
    let mut args = vec!["sweep", "scenario.toml", "--out", "out"];
    args.extend_from_slice(&AXES);
    let stderr = fairglb_err(dir.path(), &args);
    assert!(
        stderr.contains("holds another sweep"),
        "a resume must not mix old and new data: {stderr}"
    );
    // The same sweep given by another path to the same file is the same sweep.
    let stdout = fairglb_ok(
        dir.path(),
        &[
            "sweep",
            "./scenario.toml",
            "--out",
            "again",
            "--axis",
            "routing=full",
        ],
    );
    let again = fairglb_ok(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "again",
            "--axis",
            "routing=full",
        ],
    );
    assert!(
        stdout.contains("0 already finished") && again.contains("1 already finished"),
        "{again}"
    );
}

#[test]
fn infeasible_nearest_and_duplicate_axes_fail_before_running() {
    let dir = oracle_copy();
    // With a at 0.9 MW full routing is feasible, but nearest cannot send ga's 1 MW of hour 1 to a.
    let stderr = fairglb_err(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "out",
            "--axis",
            "dc.0.capacity_mw=1,0.9",
        ],
    );
    assert!(
        stderr.contains("sweep run 1")
            && stderr.contains("policy `nearest`")
            && stderr.contains("by 0.100000 MW"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
    fairglb_ok(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "out",
            "--axis",
            "dc.0.capacity_mw=1,0.9",
            "--policy",
            "min-cost",
        ],
    );
    let stderr = fairglb_err(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--axis",
            "routing=full",
            "--axis",
            "routing=partial",
        ],
    );
    assert!(stderr.contains("the same key twice"), "{stderr}");
}

#[test]
fn integer_ranges_stay_integers() {
    let dir = oracle_copy();
    let text = std::fs::read_to_string(dir.path().join("scenario.toml")).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        text + "\n[sweep.axes]\n\"horizon.hours\" = { from = 1, to = 3, steps = 3 }\n",
    )
    .unwrap();
    fairglb_ok(
        dir.path(),
        &["sweep", "scenario.toml", "--out", "out", "--policy", "min-cost"],
    );
    let hours: Vec<String> = read_csv(&dir.path().join("out/sweep.csv"))
        .iter()
        .map(|r| r["horizon.hours"].clone())
        .collect();
    assert_eq!(hours, ["1", "2", "3"]);
}

#[test]
fn merge_rejects_foreign_run_numbers_and_missing_rows() {
    let dir = oracle_copy();
    for k in 1..=2 {
        sweep(dir.path(), &format!("shard-{k}"), &["--shard", &format!("{k}/2")]);
    }
    let path = dir.path().join("shard-1/sweep.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\n0,", "\n99,", 1)).unwrap();
    let stderr = fairglb_err(dir.path(), &["merge", "shard-1", "shard-2", "--out", "merged"]);
    assert!(stderr.contains("not a run number below 6"), "{stderr}");
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(&path, lines[..lines.len() - 1].join("\n") + "\n").unwrap();
    let stderr = fairglb_err(dir.path(), &["merge", "shard-1", "shard-2", "--out", "merged"]);
    assert!(stderr.contains("rows, expected one per policy"), "{stderr}");
}

/// Linked keys take each value together; rows a policy shares between runs (axes over other
/// policies' parameters only) are the rows every run computing everything writes.
#[test]
fn linked_axes_and_shared_rows_match_runs_computed_whole() {
    let dir = oracle_copy();
    let paper = repo().join("scenarios/paper.toml").display().to_string();
    let args = |out: &'static str| {
        vec![
            "sweep",
            &paper,
            "--set",
            "horizon.hours=48",
            "--out",
            out,
            "--axis",
            "policy.drift-plus-penalty.v=10,1000",
            "--axis",
            "online.z_cap + online.step=0.5,2",
            "--policy",
            "drift-plus-penalty",
            "--policy",
            "eglb-online",
            "--policy",
            "eglb-offline",
            "--threads",
            "2",
        ]
    };
    fairglb_ok(dir.path(), &args("shared"));
    let mut whole = args("whole");
    whole.push("--keep-runs");
    fairglb_ok(dir.path(), &whole);
    let shared = bytes(&dir.path().join("shared/sweep.csv"));
    assert_eq!(shared, bytes(&dir.path().join("whole/sweep.csv")));
    let rows = read_csv(&dir.path().join("shared/sweep.csv"));
    assert_eq!(rows[0]["online.z_cap+online.step"], "0.5");
    let manifest = std::fs::read_to_string(dir.path().join("whole/runs/run-000001/manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let online = &manifest["policy_params"]["eglb-online"];
    assert_eq!(
        (online["z_cap"].as_f64(), online["step"].as_f64()),
        (Some(2.0), Some(2.0))
    );
    // The policies differ where their own parameters do.
    let objective = |run: &str, policy: &str| {
        let row = rows
            .iter()
            .find(|r| r["run"] == run && r["policy"] == policy)
            .unwrap();
        row["objective_usd"].clone()
    };
    assert_ne!(
        objective("0", "drift-plus-penalty"),
        objective("2", "drift-plus-penalty")
    );
    assert_eq!(
        objective("0", "drift-plus-penalty"),
        objective("1", "drift-plus-penalty")
    );
    assert_ne!(objective("0", "eglb-online"), objective("1", "eglb-online"));

    let stderr = fairglb_err(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--axis",
            "routing+seed=1",
            "--axis",
            "seed=2,3",
        ],
    );
    assert!(stderr.contains("`seed` is on two axes"), "{stderr}");
}
