//! `results/README.md` documents every column of every file a run and a sweep write, in order:
//! its tables are compared with the headers fairglb actually writes.

use std::collections::BTreeMap;

use crate::util::{fairglb_ok, oracle_copy, repo};

/// The documented files: `### name` headings, each with the first cells of its table.
fn documented() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(repo().join("results/README.md")).unwrap();
    let mut files = BTreeMap::new();
    for section in text.split("\n### ").skip(1) {
        let name = section.lines().next().unwrap().trim().to_string();
        let columns: Vec<String> = section
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2)
            .map(|row| {
                row.split('|')
                    .nth(1)
                    .unwrap()
                    .trim()
                    .trim_matches('`')
                    .to_string()
            })
            .collect();
        files.insert(name, columns);
    }
    files
}

fn header(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect()
}

#[test]
fn every_file_and_column_a_run_writes_is_documented_in_order() {
    let docs = documented();
    let dir = oracle_copy();
    fairglb_ok(dir.path(), &["run", "scenario.toml", "--out", "out"]);
    let mut written: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| !name.starts_with('.'))
        .collect();
    written.sort();
    for name in &written {
        let columns = docs
            .get(name)
            .unwrap_or_else(|| panic!("results/README.md has no `### {name}` section"));
        if name.ends_with(".csv") {
            assert_eq!(&header(&dir.path().join("out").join(name)), columns, "{name}");
        }
    }
    for (name, _) in docs.iter().filter(|(n, _)| *n != "sweep.csv") {
        assert!(
            written.contains(name),
            "results/README.md documents {name}, which a run does not write"
        );
    }
}

#[test]
fn sweep_csv_is_documented_as_run_axes_policy_then_the_summary_columns() {
    let docs = documented();
    let dir = oracle_copy();
    fairglb_ok(
        dir.path(),
        &[
            "sweep",
            "scenario.toml",
            "--out",
            "sw",
            "--axis",
            "equity.water_usd_per_m3=0,40",
            "--axis",
            "routing=full,partial",
        ],
    );
    let sweep = &docs["sweep.csv"];
    let mut expected = vec![sweep[0].clone()];
    expected.extend(["equity.water_usd_per_m3".to_string(), "routing".to_string()]);
    expected.push(sweep[2].clone());
    expected.extend(docs["summary.csv"].iter().skip(2).cloned());
    assert_eq!(sweep[1], "*axis*");
    assert_eq!(header(&dir.path().join("sw/sweep.csv")), expected);
}
