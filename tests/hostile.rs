//! Hostile input and faults (issue 11): multi-member and bomb gzip traces, planted symlinks,
//! results folders published whole, hostile names in results that reach file names and HTML, and
//! numbers that would come out NaN. Each test fails on the code before the fix.

use std::io::Write;
use std::path::Path;

use crate::util::*;

/// `bytes` gzip-compressed as one member.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// Every file below `dir`, relative to it, sorted.
fn files_below(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// A workload written as two gzip members one after the other (as `cat a.gz b.gz`, pigz and
/// bgzip write) reads whole, and gives the same results as the plain file.
#[test]
fn multi_member_gzip_reads_every_member() {
    let dir = oracle_copy();
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "plain"]);
    let text = std::fs::read_to_string(dir.path().join("workload.csv")).unwrap();
    let cut = text.find('\n').unwrap() + 1 + text[text.find('\n').unwrap() + 1..].find('\n').unwrap() + 1;
    let mut two = gzip(&text.as_bytes()[..cut]);
    two.extend(gzip(&text.as_bytes()[cut..]));
    std::fs::write(dir.path().join("workload.csv.gz"), two).unwrap();
    edit(
        dir.path(),
        "scenario.toml",
        "workload = \"workload.csv\"",
        "workload = \"workload.csv.gz\"",
    );
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "gz"]);
    let summary = |run: &str| std::fs::read(dir.path().join(run).join("summary.csv")).unwrap();
    assert_eq!(summary("gz"), summary("plain"));
}

/// A small gzip file that decompresses to hundreds of MB is refused with a clear error, not
/// read until memory runs out.
#[test]
fn a_gzip_bomb_is_refused() {
    let dir = oracle_copy();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(b"hour_utc,requests_mw\n").unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..300 {
        gz.write_all(&zeros).unwrap();
    }
    std::fs::write(dir.path().join("workload.csv.gz"), gz.finish().unwrap()).unwrap();
    edit(
        dir.path(),
        "scenario.toml",
        "workload = \"workload.csv\"",
        "workload = \"workload.csv.gz\"",
    );
    fails_in(
        dir.path(),
        "scenario.toml",
        &[],
        &["workload.csv.gz", "decompresses to more than"],
    );
}

/// A symlink planted where a temporary file used to be named predictably does not redirect a
/// write outside the results folder.
#[test]
fn a_planted_symlink_is_never_followed() {
    let dir = oracle_copy();
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    for name in ["regions.csv", "summary.csv", "manifest.json", "hourly.csv"] {
        std::os::unix::fs::symlink(&victim, dir.path().join(format!("out/.{name}.tmp"))).unwrap();
    }
    // The planted links are taken for leftovers of a crash: the folder is replaced whole and they
    // go with the old one, unfollowed.
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(
        files_below(&dir.path().join("out"))
            .iter()
            .all(|f| !f.contains(".tmp"))
    );
    std::fs::create_dir_all(dir.path().join("figs")).unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("figs/.regions.png.tmp.png")).unwrap();
    // A figures folder is replaced whole: the planted link goes with the old folder, unfollowed.
    fairglb_ok(dir.path(), &["plot", "out", "--out", "figs"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let figures = files_below(&dir.path().join("figs"));
    assert!(
        !figures.is_empty() && figures.iter().all(|f| f == ".fairglb" || !f.starts_with('.')),
        "{figures:?}"
    );
}

/// A run over an older results folder replaces it whole: afterwards the folder holds exactly the
/// new run's files (no stray temporary files, no figures of the old run); a folder holding
/// anything else is refused and left as it was.
#[test]
fn a_results_folder_is_published_whole() {
    let dir = oracle_copy();
    fairglb_ok(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--out",
            "out",
            "--set",
            "equity.water_usd_per_m3=99",
        ],
    );
    fairglb_ok(dir.path(), &["plot", "out"]);
    assert!(dir.path().join("out/figures/regions.png").exists());
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    let files = files_below(&dir.path().join("out"));
    let expected = [
        ".fairglb",
        "demand.csv",
        "flows.csv",
        "hourly.csv",
        "intensity.csv",
        "manifest.json",
        "regions.csv",
        "routes.csv",
        "summary.csv",
        "timings.csv",
    ];
    assert_eq!(files, expected, "exactly the new run's files");
    let manifest = std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap();
    assert!(
        !manifest.contains("water_usd_per_m3=99"),
        "the new run's manifest"
    );
    let siblings: Vec<String> = files_below(dir.path())
        .into_iter()
        .filter(|f| f.contains(".tmp") || f.contains(".staging"))
        .collect();
    assert!(siblings.is_empty(), "no temporary files left: {siblings:?}");

    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/notes.txt"), "my notes").unwrap();
    let stderr = fairglb_err(dir.path(), &["run", "scenario.toml", "--out", "mine"]);
    assert!(
        stderr.contains("mine") && stderr.contains("notes.txt"),
        "{stderr}"
    );
    assert_eq!(files_below(&dir.path().join("mine")), ["notes.txt"]);
}

/// A policy name read back from results CSVs that holds path separators and markup neither
/// writes outside the figures folder nor injects markup into the report.
#[test]
fn hostile_policy_names_stay_inside_and_escaped() {
    let dir = oracle_copy();
    fairglb_ok(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--out",
            "out",
            "--policy",
            "min-cost",
            "--policy",
            "eglb-offline",
        ],
    );
    let hostile = "x/../../../escaped'\"<script>alert(1)</script>";
    for file in ["summary.csv", "regions.csv", "hourly.csv", "timings.csv"] {
        let path = dir.path().join("out").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let quoted = format!("\"{}\"", hostile.replace('"', "\"\""));
        std::fs::write(&path, text.replace("min-cost", &quoted)).unwrap();
    }
    // As results from elsewhere would come: with no manifest to check them against.
    std::fs::remove_file(dir.path().join("out/manifest.json")).unwrap();
    let before = files_below(dir.path());
    fairglb_ok(
        dir.path(),
        &["plot", "out", "--format", "both", "--policy", hostile],
    );
    let after: Vec<String> = files_below(dir.path())
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert!(!after.is_empty());
    for file in &after {
        assert!(
            file.starts_with("out/figures/") && !file[12..].contains('/'),
            "{file} outside figures/"
        );
    }
    fairglb_ok(dir.path(), &["report", "out", "--policy", hostile]);
    let report = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        !report.contains("<script>"),
        "markup from the data reached the report"
    );
    assert!(
        report.contains("&lt;script&gt;") || report.contains("&#60;script"),
        "the name is shown, escaped"
    );
}

/// A demand scale so small that a disparity metric comes out NaN is an error naming the metric,
/// and nothing is written.
#[test]
fn a_nan_metric_is_an_error_not_a_result() {
    let dir = oracle_copy();
    let extra = ["--set", "workload.scale=1e-320"];
    fails_in(
        dir.path(),
        "scenario.toml",
        &extra,
        &["water_jain", "is not finite"],
    );
}

/// Errors in a file with Windows line endings name the right line.
#[test]
fn crlf_files_report_the_right_line() {
    let dir = oracle_copy();
    for file in ["dc_hourly.csv", "workload.csv"] {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
        std::fs::write(&path, text).unwrap();
    }
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "crlf"]);
    let plain = oracle_copy();
    fairglb_ok(plain.path(), &["run", "scenario.toml", "--out", "lf"]);
    let summary = |d: &Path, run: &str| std::fs::read(d.join(run).join("summary.csv")).unwrap();
    assert_eq!(
        summary(dir.path(), "crlf"),
        summary(plain.path(), "lf"),
        "CRLF reads as LF"
    );
    edit(
        dir.path(),
        "dc_hourly.csv",
        "2024-01-01T01:00:00Z,a,10,0.5,2\r\n",
        "2024-01-01T01:00:00Z,a,10,0.5\r\n",
    );
    let stderr = fairglb_err(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    assert!(stderr.contains("dc_hourly.csv:3:"), "{stderr}");
}

/// The oracle sweep of tests/sweep.rs (two axes, 6 runs) into `dir/name`.
fn oracle_sweep(dir: &Path, name: &str, extra: &[&str]) {
    let mut args = vec!["sweep", "scenario.toml", "--out", name];
    args.extend_from_slice(&[
        "--axis",
        "equity.water_usd_per_m3=0,10,40",
        "--axis",
        "equity.carbon_usd_per_t=0,20",
    ]);
    args.extend_from_slice(extra);
    fairglb_ok(dir, &args);
}

/// A damaged journal entry (cut short, as by a crash or an edit) is run again on resume, never
/// pasted into `sweep.csv`.
#[test]
fn a_damaged_journal_entry_is_rerun() {
    let dir = oracle_copy();
    oracle_sweep(dir.path(), "clean", &[]);
    oracle_sweep(dir.path(), "cut", &[]);
    let entry = dir.path().join("cut/.journal/run-000002.csv");
    let bytes = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::remove_file(dir.path().join("cut/sweep.csv")).unwrap();
    oracle_sweep(dir.path(), "cut", &[]);
    let sweep = |name: &str| std::fs::read(dir.path().join(name).join("sweep.csv")).unwrap();
    assert_eq!(sweep("cut"), sweep("clean"));
}

/// `merge` checks every shard row against its `sweep.json`: an axis value that contradicts the
/// run it claims to be is refused, naming the file and line.
#[test]
fn merge_refuses_a_row_that_contradicts_sweep_json() {
    let dir = oracle_copy();
    for k in 1..=2 {
        oracle_sweep(dir.path(), &format!("shard-{k}"), &["--shard", &format!("{k}/2")]);
    }
    let path = dir.path().join("shard-2/sweep.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let fields: Vec<&str> = lines[1].split(',').collect();
    let forged = format!(
        "{},{},{},{}",
        fields[0],
        "12345",
        fields[2],
        fields[3..].join(",")
    );
    lines[1] = forged;
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let stderr = fairglb_err(dir.path(), &["merge", "shard-1", "shard-2", "--out", "merged"]);
    assert!(
        stderr.contains("shard-2/sweep.csv:2:") && stderr.contains("equity.water_usd_per_m3"),
        "{stderr}"
    );
    assert!(!dir.path().join("merged").exists());
}

/// `plot` refuses results whose per-region totals contradict their hourly rows (hand-edited, or
/// mixed from two runs), naming the row.
#[test]
fn plot_refuses_totals_that_contradict_the_hourly_rows() {
    let dir = oracle_copy();
    fairglb_ok(
        dir.path(),
        &["run", "scenario.toml", "--out", "out", "--policy", "min-cost"],
    );
    let path = dir.path().join("out/regions.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let water = header.iter().position(|h| *h == "water_l").unwrap();
    let mut fields: Vec<String> = lines[2].split(',').map(String::from).collect();
    fields[water] = format!("{}", fields[water].parse::<f64>().unwrap() * 0.5);
    lines[2] = fields.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let stderr = fairglb_err(dir.path(), &["plot", "out"]);
    assert!(
        stderr.contains("regions.csv:3:") && stderr.contains("water_l"),
        "{stderr}"
    );
    assert!(!dir.path().join("out/figures").exists());
}

/// A second sweep into a folder that a running sweep holds is refused, naming the holder, and
/// leaves the first one's work alone.
#[test]
fn a_second_sweep_into_a_busy_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo().join("scenarios/paper.toml");
    let values: Vec<String> = (1..=40).map(|v| v.to_string()).collect();
    let axis = format!("equity.water_usd_per_m3={}", values.join(","));
    let args = [
        "sweep",
        scenario.to_str().unwrap(),
        "--out",
        "busy",
        "--threads",
        "1",
        "--policy",
        "eglb-offline",
        "--axis",
        &axis,
    ];
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_fairglb"))
        .args(args)
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let journal = dir.path().join("busy/.journal");
    let start = std::time::Instant::now();
    while !journal.exists() && start.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let stderr = fairglb_err(dir.path(), &args);
    let _ = first.kill();
    let _ = first.wait();
    assert!(
        stderr.contains(&format!("another fairglb sweep (process {})", first.id())),
        "{stderr}"
    );
}

/// `plot` and `report` refuse a results folder one of whose files comes from another run (its
/// SHA-256 differs from the manifest's); timings are not checked.
#[test]
fn results_mixed_from_two_runs_are_refused() {
    let dir = oracle_copy();
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "a"]);
    fairglb_ok(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--out",
            "b",
            "--set",
            "equity.water_usd_per_m3=50",
        ],
    );
    std::fs::copy(dir.path().join("b/timings.csv"), dir.path().join("a/timings.csv")).unwrap();
    fairglb_ok(dir.path(), &["plot", "a"]);
    std::fs::copy(dir.path().join("b/summary.csv"), dir.path().join("a/summary.csv")).unwrap();
    for command in ["plot", "report"] {
        let stderr = fairglb_err(dir.path(), &[command, "a"]);
        assert!(
            stderr.contains("summary.csv") && stderr.contains("does not belong to this run"),
            "{stderr}"
        );
    }
}

/// Sizes and magnitudes beyond the documented limits are clear errors, found before any work:
/// a sweep of too many runs, a range of too many steps, a `--set` key too deep, a price in the
/// wrong units.
#[test]
fn limits_are_clear_errors() {
    let dir = oracle_copy();
    let sweep = |axes: &[&str]| {
        let mut args = vec!["sweep", "scenario.toml", "--out", "big"];
        for axis in axes {
            args.extend(["--axis", axis]);
        }
        fairglb_err(dir.path(), &args)
    };
    let thousand: Vec<String> = (0..1000).map(|v| v.to_string()).collect();
    let (a, b, c) = (
        format!("equity.water_usd_per_m3={}", thousand.join(",")),
        format!("equity.carbon_usd_per_t={}", thousand.join(",")),
        format!("seed={}", thousand.join(",")),
    );
    let stderr = sweep(&[&a, &b, &c]);
    assert!(
        stderr.contains("1000000000 runs") && stderr.contains("at most 1000000"),
        "{stderr}"
    );
    assert!(!dir.path().join("big").exists());
    std::fs::write(
        dir.path().join("range.toml"),
        "base = \"scenario.toml\"\n[sweep.axes]\n\"equity.water_usd_per_m3\" = { from = 0, to = 1, steps = 1000000000 }\n",
    )
    .unwrap();
    let stderr = fairglb_err(dir.path(), &["sweep", "range.toml", "--out", "big"]);
    assert!(stderr.contains("from 1 to 100000"), "{stderr}");
    let deep = format!("{}=1", vec!["a"; 60_000].join("."));
    fails_in(
        dir.path(),
        "scenario.toml",
        &["--set", &deep],
        &["more than 16 parts"],
    );
    edit(
        dir.path(),
        "dc_hourly.csv",
        "2024-01-01T01:00:00Z,a,10,",
        "2024-01-01T01:00:00Z,a,10000000,",
    );
    fails_in(
        dir.path(),
        "scenario.toml",
        &[],
        &["dc_hourly.csv:3:", "beyond the plausible magnitude"],
    );
}

/// A user's own images in a folder given as `plot --out` are never deleted: the folder is
/// refused, as is a run into a results folder whose `figures/` holds a file fairglb did not draw.
#[test]
fn plot_never_deletes_images_it_did_not_draw() {
    let dir = oracle_copy();
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/holiday.png"), "my photo").unwrap();
    let stderr = fairglb_err(dir.path(), &["plot", "out", "--out", "mine"]);
    assert!(stderr.contains("holiday.png"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine/holiday.png")).unwrap(),
        "my photo"
    );
    fairglb_ok(dir.path(), &["plot", "out"]);
    fairglb_ok(dir.path(), &["plot", "out"]);
    std::fs::write(dir.path().join("out/figures/sketch.svg"), "mine").unwrap();
    let stderr = fairglb_err(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    assert!(stderr.contains("figures"), "{stderr}");
    assert!(dir.path().join("out/figures/sketch.svg").exists());
}

/// A policy's parameters: its own table, or `[online]` for `eglb-online`, not both; unknown
/// policies and bad values are errors naming the table.
#[test]
fn policy_parameter_tables_are_checked() {
    let dir = oracle_copy();
    let both = [
        "--set",
        "online.step_size=1e-4",
        "--set",
        "policy.eglb-online.step_size=1e-4",
    ];
    fails_in(
        dir.path(),
        "scenario.toml",
        &both,
        &["not both", "`online.KEY=...`"],
    );
    let unknown = ["--set", "policy.greenest.k=1"];
    fails_in(
        dir.path(),
        "scenario.toml",
        &unknown,
        &["[policy.greenest]", "no policy is called"],
    );
    let bad = ["--set", "policy.eglb-online.step_size=-1"];
    fails_in(
        dir.path(),
        "scenario.toml",
        &bad,
        &["[policy.eglb-online]", "step_size", "> 0"],
    );
    let two_steps = [
        "--set",
        "policy.eglb-online.step=1",
        "--set",
        "policy.eglb-online.step_size=1e-4",
    ];
    fails_in(
        dir.path(),
        "scenario.toml",
        &two_steps,
        &["[policy.eglb-online]", "`step`", "`step_size`", "not both"],
    );
    let typo = ["--set", "policy.eglb-online.stepsize=1"];
    fails_in(
        dir.path(),
        "scenario.toml",
        &typo,
        &["[policy.eglb-online]", "stepsize"],
    );
    let none = ["--set", "policy.min-cost.k=1"];
    fails_in(
        dir.path(),
        "scenario.toml",
        &none,
        &["[policy.min-cost]", "takes no parameters"],
    );
    // The new spelling runs as the old one does.
    fairglb_ok(
        dir.path(),
        &["run", "scenario.toml", "--out", "old", "--set", "online.z_cap=2"],
    );
    fairglb_ok(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--out",
            "new",
            "--set",
            "policy.eglb-online.z_cap=2",
        ],
    );
    let summary = |run: &str| std::fs::read(dir.path().join(run).join("summary.csv")).unwrap();
    assert_eq!(summary("old"), summary("new"));
}

/// Error messages list at most ten names and say how many more there are, however many the
/// input holds (here 30 data centers the scenario does not have, and a header of 5,000 columns).
#[test]
fn long_name_lists_are_capped_at_ten() {
    let dir = oracle_copy();
    let path = dir.path().join("dc_hourly.csv");
    let mut text = "hour_utc,dc,price_usd_per_mwh,carbon_kg_per_kwh,water_l_per_kwh\n".to_string();
    for d in 0..30 {
        for h in 0..3 {
            text.push_str(&format!("2024-01-01T{h:02}:00:00Z,extra{d:02},10,0.5,2\n"));
        }
    }
    std::fs::write(&path, text).unwrap();
    let stderr = fairglb_err(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    assert!(
        stderr.contains("no rows for the data centers [a, b]")
            && stderr.contains("extra09, and 20 more")
            && !stderr.contains("extra10"),
        "{stderr}"
    );
    let header: Vec<String> = (0..5000).map(|c| format!("column{c}")).collect();
    std::fs::write(&path, header.join(",") + "\n").unwrap();
    let stderr = fairglb_err(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    assert!(
        stderr.contains("column9, and 4990 more") && stderr.len() < 2000,
        "{stderr}"
    );
}

/// What a `fairglb run` killed mid-write leaves beside its output folder (the staging folder
/// with its half-written files) is removed by the next run into that folder.
#[test]
fn a_killed_runs_leftovers_go_with_the_next_run() {
    let dir = oracle_copy();
    let leftovers = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".out."))
            .collect()
    };
    // A staging folder as a killed run leaves it: nobody holds it any more.
    let planted = dir.path().join(".out.K1LLED.staging");
    std::fs::create_dir(&planted).unwrap();
    std::fs::write(planted.join("hourly.csv"), "half a file").unwrap();
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    assert!(dir.path().join("out/manifest.json").is_file());
}

/// A `--threads` value that cannot be honoured (here: 1,000 threads of 1 GiB stacks under a 400 MB
/// address-space limit) fails naming the option, and writes nothing: not even the sweep folder.
/// With stacks that large not one worker starts, so the failure is the same every time; with the
/// default 2 MiB stacks the workers that did start took the last of the address space, and a run
/// on a busy machine now and then aborted on a failed allocation instead.
#[test]
fn a_threads_value_that_cannot_start_writes_nothing() {
    let dir = oracle_copy();
    let command = format!(
        "export RUST_MIN_STACK=1073741824; ulimit -v 400000; exec '{}' sweep scenario.toml --axis equity.water_usd_per_m3=1,2 --threads 1000 --out sw",
        env!("CARGO_BIN_EXE_fairglb")
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &command])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--threads: cannot start 1000 worker threads"),
        "{stderr}"
    );
    assert!(!dir.path().join("sw").exists(), "nothing written");
}
