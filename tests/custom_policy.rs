//! `examples/custom_policy.rs`: a policy defined outside the crate runs through the simulator's
//! checks, is scored like the built-ins, and its results folder is drawn by `fairglb plot` and
//! `fairglb report` like any other.

#[allow(dead_code)]
#[path = "../examples/custom_policy.rs"]
mod example;

use crate::util::*;

#[test]
fn a_policy_defined_outside_the_crate_is_run_scored_and_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("custom");
    example::write_results(&repo().join("scenarios/paper.toml"), &out).unwrap();
    let summary = read_csv(&out.join("summary.csv"));
    let policies: Vec<&str> = summary.iter().map(|r| r["policy"].as_str()).collect();
    assert_eq!(policies, ["min-cost", "eglb-offline", "least-water-so-far"]);
    let of = |policy: &str, column: &str| cell(&summary, &[("policy", policy)], column);
    // Scored by the same objective: the offline optimum beats it, and it serves the same energy.
    assert!(of("least-water-so-far", "gap_to_offline") > 0.0);
    assert_close(
        of("least-water-so-far", "energy_mwh"),
        of("min-cost", "energy_mwh"),
        1e-9,
        "energy",
    );
    // It does what it says: water spread far more evenly than by min-cost.
    assert!(of("least-water-so-far", "water_par") < of("min-cost", "water_par"));
    let regions = read_csv(&out.join("regions.csv"));
    assert_eq!(
        regions
            .iter()
            .filter(|r| r["policy"] == "least-water-so-far")
            .count(),
        10
    );

    let out_arg = out.to_str().unwrap();
    fairglb_ok(
        dir.path(),
        &[
            "plot",
            out_arg,
            "--format",
            "both",
            "--policy",
            "least-water-so-far",
        ],
    );
    for figure in ["regions", "par_vs_cost", "load_least-water-so-far"] {
        for ext in ["png", "svg"] {
            let path = out.join(format!("figures/{figure}.{ext}"));
            assert!(
                path.metadata().is_ok_and(|m| m.len() > 1000),
                "{} missing",
                path.display()
            );
        }
    }
    let svg = std::fs::read_to_string(out.join("figures/par_vs_cost.svg")).unwrap();
    assert!(
        svg.contains("least-water-so-far"),
        "the custom policy is in the key"
    );
    assert!(svg.contains("#808080"), "drawn in the fallback grey");
    fairglb_ok(dir.path(), &["report", out_arg]);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("least-water-so-far"));
}
