#!/usr/bin/env python3
"""Independent cross-check of eglb-offline with HiGHS (through scipy), from a run's outputs alone.

Reads only the results folder: `demand.csv` (each gateway's demand per hour), `intensity.csv`
(each data center's price, carbon and water per hour), `routes.csv` (the allowed pairs) and
`manifest.json` (the weights, and each data center's capacity and vulnerability weights), after
checking every file against the manifest's SHA-256. Builds the offline eGLB LP in the authors'
form (one variable per gateway, data center and hour, plus the two epigraph variables), solves
it with HiGHS and compares the optimum with `summary.csv`'s eglb-offline objective. Nothing of
fairglb is imported or run, and no scenario or trace file is read.

    python3 scripts/crosscheck-highs.py RESULTS_DIR

Works for any scenario and routing. Needs numpy and scipy (`pip install scipy`). Exits 1 if the
optima differ by more than 1e-6 (relative). Also prints the script's wall-clock time.
"""
import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

start = time.perf_counter()
import numpy as np  # noqa: E402
from scipy.optimize import linprog  # noqa: E402
from scipy.sparse import coo_matrix, vstack  # noqa: E402


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def checked(results, manifest):
    """Fails unless every file the check reads has the SHA-256 the manifest recorded."""
    for name in ("demand.csv", "intensity.csv", "routes.csv", "summary.csv"):
        recorded = manifest["files_sha256"].get(name)
        actual = hashlib.sha256((results / name).read_bytes()).hexdigest()
        if recorded != actual:
            sys.exit(f"{results / name}: SHA-256 {actual} is not the manifest's {recorded}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path, help="a fairglb run's results folder")
    args = parser.parse_args()
    manifest = json.loads((args.results / "manifest.json").read_text())
    checked(args.results, manifest)

    dcs = [d["name"] for d in manifest["data_centers"]]
    dc_index = {name: i for i, name in enumerate(dcs)}
    capacity = np.array([d["capacity_mw"] for d in manifest["data_centers"]])
    vulnerability = {
        "water": np.array([d["water_vulnerability"] for d in manifest["data_centers"]]),
        "carbon": np.array([d["carbon_vulnerability"] for d in manifest["data_centers"]]),
    }
    demand_rows = rows(args.results / "demand.csv")
    hours = list(dict.fromkeys(r["hour_utc"] for r in demand_rows))
    gateways = list(dict.fromkeys(r["gateway"] for r in demand_rows))
    hour_index = {h: t for t, h in enumerate(hours)}
    gateway_index = {g: j for j, g in enumerate(gateways)}
    n_t, n_g, n_d = len(hours), len(gateways), len(dcs)
    demand = np.full((n_t, n_g), np.nan)
    for r in demand_rows:
        demand[hour_index[r["hour_utc"]], gateway_index[r["gateway"]]] = float(r["demand_mw"])
    if np.isnan(demand).any():
        sys.exit("demand.csv does not give every gateway in every hour")
    price, water, carbon = (np.full((n_t, n_d), np.nan) for _ in range(3))
    for r in rows(args.results / "intensity.csv"):
        t, d = hour_index[r["hour_utc"]], dc_index[r["dc"]]
        price[t, d] = float(r["price_usd_per_mwh"])
        water[t, d] = float(r["water_l_per_kwh"])  # L/kWh x MWh = m3
        carbon[t, d] = float(r["carbon_kg_per_kwh"])  # kg/kWh x MWh = t
    if np.isnan(price).any():
        sys.exit("intensity.csv does not give every data center in every hour")
    pairs = np.array([(gateway_index[r["gateway"]], dc_index[r["dc"]]) for r in rows(args.results / "routes.csv")])
    pair_g, pair_d = pairs[:, 0], pairs[:, 1]
    n_p = len(pairs)

    # Variables: x[t, k] at column t * n_p + k for pair k, then z_water, z_carbon.
    n_x = n_t * n_p
    nv = n_x + 2
    t_of = np.repeat(np.arange(n_t), n_p)
    k_of = np.tile(np.arange(n_p), n_t)
    columns = np.arange(n_x)
    cost = np.concatenate([price[t_of, pair_d[k_of]], [manifest["weights"]["water_usd_per_m3"],
                                                        manifest["weights"]["carbon_usd_per_t"]]])
    # Every gateway's demand served in every hour.
    a_eq = coo_matrix((np.ones(n_x), (t_of * n_g + pair_g[k_of], columns)), shape=(n_t * n_g, nv))
    b_eq = demand.reshape(-1)
    # Every data center's capacity in every hour.
    a_cap = coo_matrix((np.ones(n_x), (t_of * n_d + pair_d[k_of], columns)), shape=(n_t * n_d, nv))
    b_cap = np.repeat(capacity[None, :], n_t, axis=0).reshape(-1)
    # Epigraph rows: vulnerability x footprint of each data center <= z.
    coupling = []
    for intensity, weight, z in ((water, vulnerability["water"], n_x), (carbon, vulnerability["carbon"], n_x + 1)):
        d = pair_d[k_of]
        values = np.concatenate([weight[d] * intensity[t_of, d], -np.ones(n_d)])
        rows_ = np.concatenate([d, np.arange(n_d)])
        cols = np.concatenate([columns, np.full(n_d, z)])
        coupling.append(coo_matrix((values, (rows_, cols)), shape=(n_d, nv)))
    a_ub = vstack([a_cap, *coupling]).tocsr()
    b_ub = np.concatenate([b_cap, np.zeros(2 * n_d)])

    solved = time.perf_counter()
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq.tocsr(), b_eq=b_eq, bounds=(0, None), method="highs")
    if not result.success:
        sys.exit(f"HiGHS failed: {result.message}")
    highs = result.fun
    summary = {r["policy"]: r for r in rows(args.results / "summary.csv")}
    if "eglb-offline" not in summary:
        sys.exit(f"{args.results / 'summary.csv'}: eglb-offline did not run")
    ours = float(summary["eglb-offline"]["objective_usd"])
    rel = abs(ours - highs) / max(abs(highs), 1e-300)
    print(f"{manifest['scenario']}, routing {manifest['routing']}, {n_t} hours, {n_d} data centers, {n_g} gateways: "
          f"{nv} variables; HiGHS optimum {highs:.6f} USD, fairglb {ours:.6f} USD, relative difference {rel:.1e}")
    print(f"scipy + HiGHS: solve {time.perf_counter() - solved:.2f} s, whole script {time.perf_counter() - start:.2f} s")
    sys.exit(0 if rel <= 1e-6 else 1)


if __name__ == "__main__":
    main()
