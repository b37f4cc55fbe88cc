//! A hand-computed oracle: 2 data centers, 2 gateways, 3 hours (tests/data/oracle).
//!
//! a: 10 USD/MWh, 0.5 kg/kWh, 2 L/kWh; b: 20 USD/MWh, 0.1 kg/kWh, 4 L/kWh; 1 MW each.
//! Demand ga = 0.5, 1.0, 0.25 MW and gb = 0.3, 0.6, 0.15 MW: totals 0.8, 1.6, 0.4 (2.8 MWh).
//! Weights: 10 USD/m3 water, 20 USD/t carbon.
//!
//! Intensities are constant, so only A = energy served at a matters (0.6 <= A <= 2.2):
//! cost = 56 - 10A, water a = 2A m3, b = 11.2 - 4A m3, carbon a = 0.5A t, b = 0.28 - 0.1A t.
//! Objective = 168 - 40A for A <= 28/15 (b's water is the max), 56 + 20A above: the offline
//! optimum is A = 28/15 with objective 56 + 20 x 28/15 = 93.333..., where both waters equal
//! 3.7333 m3.

use crate::util::*;

fn run(args: &[&str]) -> (tempfile::TempDir, String) {
    let dir = oracle_copy();
    let mut all = vec!["run", "scenario.toml", "--out", "out"];
    all.extend_from_slice(args);
    let stdout = fairglb_ok(dir.path(), &all);
    (dir, stdout)
}

/// (energy_mwh, cost_usd, carbon_kg, water_l) of a dc in regions.csv.
fn region(dir: &std::path::Path, policy: &str, dc: &str) -> [f64; 4] {
    let rows = read_csv(&dir.join("out/regions.csv"));
    let f = [("policy", policy), ("dc", dc)];
    ["energy_mwh", "cost_usd", "carbon_kg", "water_l"].map(|c| cell(&rows, &f, c))
}

fn assert_region(dir: &std::path::Path, policy: &str, dc: &str, expected: [f64; 4]) {
    let got = region(dir, policy, dc);
    for (g, e) in got.iter().zip(expected) {
        assert_close(*g, e, 1e-9, &format!("{policy} at {dc}: {got:?} vs {expected:?}"));
    }
}

fn objective(dir: &std::path::Path, policy: &str) -> f64 {
    cell(
        &read_csv(&dir.join("out/summary.csv")),
        &[("policy", policy)],
        "objective_usd",
    )
}

#[test]
fn equity_oblivious_policies_by_hand() {
    let (dir, _) = run(&[]);
    let d = dir.path();
    // min-cost: a first (10 < 20 USD/MWh): a serves 0.8 + 1.0 + 0.4 = 2.2 MWh, b the 0.6 left.
    assert_region(d, "min-cost", "a", [2.2, 22.0, 1100.0, 4400.0]);
    assert_region(d, "min-cost", "b", [0.6, 12.0, 60.0, 2400.0]);
    assert_close(
        objective(d, "min-cost"),
        34.0 + 10.0 * 4.4 + 20.0 * 1.1,
        1e-9,
        "min-cost objective",
    );
    // min-water picks a too (2 < 4 L/kWh); cost-water-carbon: a 10+25x2+10x0.5 = 65 < b 20+25x4+10x0.1 = 121.
    assert_region(d, "min-water", "a", [2.2, 22.0, 1100.0, 4400.0]);
    assert_region(d, "cost-water-carbon", "a", [2.2, 22.0, 1100.0, 4400.0]);
    // min-carbon: b first: b 2.2 MWh, a 0.6. cost-carbon: a 10+40x0.5 = 30 > b 20+40x0.1 = 24, same.
    for policy in ["min-carbon", "cost-carbon"] {
        assert_region(d, policy, "a", [0.6, 6.0, 300.0, 1200.0]);
        assert_region(d, policy, "b", [2.2, 44.0, 220.0, 8800.0]);
        assert_close(objective(d, policy), 50.0 + 10.0 * 8.8 + 20.0 * 0.3, 1e-9, policy);
    }
    // nearest: ga -> a (1.75 MWh), gb -> b (1.05 MWh).
    assert_region(d, "nearest", "a", [1.75, 17.5, 875.0, 3500.0]);
    assert_region(d, "nearest", "b", [1.05, 21.0, 105.0, 4200.0]);
    assert_close(
        objective(d, "nearest"),
        38.5 + 10.0 * 4.2 + 20.0 * 0.875,
        1e-9,
        "nearest objective",
    );
}

#[test]
fn hourly_rows_by_hand() {
    let (dir, _) = run(&["--policy", "min-cost"]);
    let rows = read_csv(&dir.path().join("out/hourly.csv"));
    assert_eq!(rows.len(), 3 * 2);
    let hour = "2024-01-01T01:00:00Z";
    let get = |dc: &str, col: &str| {
        cell(
            &rows,
            &[("policy", "min-cost"), ("hour_utc", hour), ("dc", dc)],
            col,
        )
    };
    assert_eq!(
        [
            get("a", "load_mw"),
            get("a", "cost_usd"),
            get("a", "carbon_kg"),
            get("a", "water_l")
        ],
        [1.0, 10.0, 500.0, 2000.0]
    );
    assert_close(get("b", "load_mw"), 0.6, 1e-12, "b load");
    assert_close(get("b", "water_l"), 2400.0, 1e-12, "b water");
}

#[test]
fn offline_optimum_by_hand() {
    let (dir, _) = run(&["--policy", "eglb-offline", "--policy", "min-cost"]);
    let d = dir.path();
    let a = 28.0 / 15.0;
    assert_close(
        objective(d, "eglb-offline"),
        56.0 + 20.0 * a,
        1e-7,
        "eglb-offline objective",
    );
    assert_region(d, "eglb-offline", "a", [a, 10.0 * a, 500.0 * a, 2000.0 * a]);
    assert_region(
        d,
        "eglb-offline",
        "b",
        [2.8 - a, 20.0 * (2.8 - a), 100.0 * (2.8 - a), 4000.0 * (2.8 - a)],
    );
    let summary = read_csv(&d.join("out/summary.csv"));
    assert_close(
        cell(&summary, &[("policy", "eglb-offline")], "water_par"),
        1.0,
        1e-7,
        "equal waters",
    );
    assert_close(
        cell(&summary, &[("policy", "min-cost")], "gap_to_offline"),
        100.0 / (56.0 + 20.0 * a) - 1.0,
        1e-7,
        "gap",
    );
}

#[test]
fn partial_routing_by_hand() {
    // a may serve only ga: gb (0.3, 0.6, 0.15 MW) must go to b, so min-cost is nearest.
    let (dir, _) = run(&["--set", "routing=partial"]);
    assert_region(dir.path(), "min-cost", "a", [1.75, 17.5, 875.0, 3500.0]);
    assert_region(dir.path(), "min-cost", "b", [1.05, 21.0, 105.0, 4200.0]);
}

#[test]
fn weights_override_moves_the_offline_optimum() {
    // Water weight 0 and carbon weight 0: the offline optimum is min-cost, objective 34.
    let (dir, _) = run(&[
        "--set",
        "equity.water_usd_per_m3=0",
        "--set",
        "equity.carbon_usd_per_t=0",
        "--policy",
        "eglb-offline",
    ]);
    assert_close(
        objective(dir.path(), "eglb-offline"),
        34.0,
        1e-7,
        "cost-only optimum",
    );
}

#[test]
fn vulnerability_weight_by_hand() {
    // b's water counts double: max(2A, 2 x (11.2 - 4A)) is the second for every feasible A <= 2.2,
    // so the objective 56 - 10A + 10 x (22.4 - 8A) + 20 x 0.5A = 280 - 80A falls to A = 2.2:
    // 34 USD of energy + 10 x 4.8 + 20 x 1.1 = 104, and b's water drops from 3.733 to 2.4 m3.
    let (dir, _) = run(&[
        "--set",
        "dc.1.water_vulnerability=2",
        "--policy",
        "eglb-offline",
        "--policy",
        "min-cost",
    ]);
    assert_close(
        objective(dir.path(), "eglb-offline"),
        104.0,
        1e-7,
        "weighted optimum",
    );
    assert_region(dir.path(), "eglb-offline", "b", [0.6, 12.0, 60.0, 2400.0]);
    // Every policy is scored with the weights: min-cost's weighted water max is also 4.8 m3.
    assert_close(
        objective(dir.path(), "min-cost"),
        104.0,
        1e-9,
        "min-cost, weighted",
    );
}

#[test]
fn latency_routing_from_coordinates() {
    // a (Frankfurt) and b (Dublin) are about 1,090 km apart; ga (Mainz) is 32 km from a.
    // Within 500 km each gateway reaches only its own data center: min-cost is nearest.
    let (dir, _) = run(&[
        "--set",
        "routing=latency",
        "--set",
        "latency.limit_km=500",
        "--policy",
        "min-cost",
    ]);
    assert_region(dir.path(), "min-cost", "a", [1.75, 17.5, 875.0, 3500.0]);
    // Within 1,500 km (or a 30 ms round trip, about 2,000 km) every pair is allowed: min-cost as with full routing.
    for limit in ["latency.limit_km=1500", "latency.limit_rtt_ms=30"] {
        let (dir, _) = run(&["--set", "routing=latency", "--set", limit, "--policy", "min-cost"]);
        assert_region(dir.path(), "min-cost", "a", [2.2, 22.0, 1100.0, 4400.0]);
    }
}
