#!/usr/bin/env python3
"""Independent cross-check of eglb-offline with HiGHS (through scipy), written from the model alone.

Reads the paper traces and the partial-routing mask directly (not through fairglb), builds the
offline eGLB LP in the authors' form (one variable per data center, gateway and hour, plus the two
epigraph variables), solves it with HiGHS, and compares the optimum with fairglb's summary.csv.

    python3 scripts/crosscheck-highs.py RESULTS_DIR [--routing full|partial]

Needs numpy and scipy (`pip install scipy`). Exits 1 if the optima differ by more than 1e-6
(relative). Also prints the script's wall-clock time: the plain-scipy baseline of issue 3's speed
target.
"""
import argparse
import csv
import json
import sys
import time
import tomllib
from pathlib import Path

start = time.perf_counter()
import numpy as np  # noqa: E402
from scipy.optimize import linprog  # noqa: E402
from scipy.sparse import coo_matrix  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path, help="fairglb results folder holding summary.csv")
    parser.add_argument("--routing", choices=["full", "partial"], default="full")
    args = parser.parse_args()

    manifest = json.loads((args.results / "manifest.json").read_text())
    allowed = {f"routing={args.routing}"}
    if manifest["scenario"] != "paper" or not set(manifest["overrides"]) <= allowed or manifest["hours"] != 457:
        sys.exit(f"{args.results}: this check models only scenarios/paper.toml with at most --set routing=...; "
                 f"got scenario {manifest['scenario']!r}, overrides {manifest['overrides']}, {manifest['hours']} hours")
    scenario = tomllib.loads((ROOT / "scenarios/paper.toml").read_text())
    dcs = [d["name"] for d in scenario["dc"]]
    n = len(dcs)
    rows = list(csv.DictReader(open(ROOT / "traces/paper-2022/dc_hourly.csv")))
    hours = sorted({r["hour_utc"] for r in rows})
    t_count = len(hours)
    index = {(r["dc"], r["hour_utc"]): r for r in rows}
    col = lambda name: np.array([[float(index[(d, h)][name]) for d in dcs] for h in hours])  # noqa: E731
    price, carbon, water = col("price_usd_per_mwh"), col("carbon_kg_per_kwh"), col("water_l_per_kwh")
    power = np.array([float(r["gpu_power_w"]) for r in csv.DictReader(open(ROOT / "traces/paper-2022/workload_hourly.csv"))])
    demand = np.repeat((power / 2708.0)[:, None], n, axis=1)  # [t, gateway], 1 MW scale each

    if args.routing == "full":
        allowed = np.ones((n, n), dtype=bool)
    else:
        allowed = np.array([[g in scenario["partial_routing"][d] for g in dcs] for d in dcs])
    pairs = [(i, j) for i in range(n) for j in range(n) if allowed[i, j]]
    p = len(pairs)
    nv = t_count * p + 2  # x[t, pair], then z_water, z_carbon
    zw, zc = nv - 2, nv - 1
    cost = np.zeros(nv)
    eq_r, eq_c, eq_b = [], [], []
    ub_r, ub_c, ub_v, ub_b = [], [], [], []
    row_eq = row_ub = 0
    for t in range(t_count):
        for j in range(n):
            for k, (i, jj) in enumerate(pairs):
                if jj == j:
                    eq_r.append(row_eq)
                    eq_c.append(t * p + k)
            eq_b.append(demand[t, j])
            row_eq += 1
        for i in range(n):
            for k, (ii, _) in enumerate(pairs):
                if ii == i:
                    ub_r.append(row_ub); ub_c.append(t * p + k); ub_v.append(1.0)
            ub_b.append(1.0)
            row_ub += 1
        for k, (i, _) in enumerate(pairs):
            cost[t * p + k] = price[t, i]
    for intensity, z in ((water, zw), (carbon, zc)):
        for i in range(n):
            for t in range(t_count):
                for k, (ii, _) in enumerate(pairs):
                    if ii == i:
                        ub_r.append(row_ub); ub_c.append(t * p + k); ub_v.append(intensity[t, i])
            ub_r.append(row_ub); ub_c.append(z); ub_v.append(-1.0)
            ub_b.append(0.0)
            row_ub += 1
    cost[zw] = scenario["equity"]["water_usd_per_m3"]
    cost[zc] = scenario["equity"]["carbon_usd_per_t"]
    a_eq = coo_matrix((np.ones(len(eq_r)), (eq_r, eq_c)), shape=(row_eq, nv)).tocsr()
    a_ub = coo_matrix((ub_v, (ub_r, ub_c)), shape=(row_ub, nv)).tocsr()
    solved = time.perf_counter()
    result = linprog(cost, A_ub=a_ub, b_ub=ub_b, A_eq=a_eq, b_eq=eq_b, bounds=(0, None), method="highs")
    if not result.success:
        sys.exit(f"HiGHS failed: {result.message}")
    highs = result.fun
    summary = {r["policy"]: r for r in csv.DictReader(open(args.results / "summary.csv"))}
    ours = float(summary["eglb-offline"]["objective_usd"])
    rel = abs(ours - highs) / abs(highs)
    print(f"routing {args.routing}: {nv} variables; HiGHS optimum {highs:.6f} USD, fairglb {ours:.6f} USD, "
          f"relative difference {rel:.1e}")
    print(f"scipy + HiGHS: solve {time.perf_counter() - solved:.2f} s, whole script {time.perf_counter() - start:.2f} s")
    sys.exit(0 if rel <= 1e-6 else 1)


if __name__ == "__main__":
    main()
