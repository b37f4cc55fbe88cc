#!/usr/bin/env python3
"""What the Python package adds to the Rust core, measured side by side (issue 13's targets).

1. The paper scenario, all eight policies: `fairglb run` as a process (the CLI) against
   `fairglb.run(...).write(dir)` in Python (in-process), each the median of --runs.
2. A policy written in Python over the global year (8,760 hours, latency mask): `nearest`
   written in Python beside the built-in, each run's time as `timings.csv` records it (the Rust
   loop, which checks every allocation, and the policy), and the Python policy's own time inside
   `decide`; the rest of its time is the cost of calling Python once per hour.

    python scripts/python-overhead.py [--runs 15]     (with the package installed: pip install .)

Run from the repository root; the CLI is $FAIRGLB or target/release/fairglb.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

import fairglb

CLI = os.environ.get("FAIRGLB", "target/release/fairglb")
PAPER = "scenarios/paper.toml"
YEAR = "scenarios/global-2022.toml"


def every_frame(results):
    """Builds every table of `results` as a DataFrame."""
    for name in ("summary", "regions", "hourly", "flows", "intensity", "demand", "routes", "timings"):
        getattr(results, name)


def median_seconds(action, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class PyNearest:
    """`nearest` in Python: each gateway's demand to its nearest data center."""

    name = "py-nearest"

    def __init__(self, problem):
        self.nearest = np.array(problem.nearest_dc)
        self.shape = (len(problem.dcs), len(problem.gateways))
        self.columns = np.arange(self.shape[1])
        self.own_seconds = 0.0

    def decide(self, hour):
        start = time.perf_counter()
        flows = np.zeros(self.shape)
        flows[self.nearest, self.columns] = hour.demand_mw
        self.own_seconds += time.perf_counter() - start
        return flows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        cli = median_seconds(
            lambda: subprocess.run([CLI, "run", PAPER, "--out", f"{tmp}/cli", "--quiet"], check=True), runs
        )
        python = median_seconds(lambda: fairglb.run(PAPER).write(f"{tmp}/py"), runs)
        frames = median_seconds(lambda: every_frame(fairglb.run(PAPER)), runs)
    print(f"paper, 8 policies, results written: CLI {cli:.4f} s, Python {python:.4f} s "
          f"({100 * (python / cli - 1):+.1f} %); every DataFrame instead of the folder: {frames:.4f} s; "
          f"medians of {runs}")

    problem = fairglb.load(YEAR)
    hours = len(problem.hours)
    seconds = {"nearest": [], "py-nearest": [], "own": []}
    for _ in range(max(3, runs // 3)):
        policy = PyNearest(problem)
        timings = fairglb.run(YEAR, policies=["nearest", policy]).timings
        for name, value in zip(timings["policy"], timings["seconds"]):
            seconds[name].append(value)
        seconds["own"].append(policy.own_seconds)
    builtin, python, own = (statistics.median(seconds[k]) for k in ("nearest", "py-nearest", "own"))
    calls = python - own
    print(f"year ({hours} h), one policy's run (timings.csv): built-in nearest {builtin:.3f} s, "
          f"Python nearest {python:.3f} s, of which decide's own time {own:.3f} s; the rest, "
          f"{calls:.3f} s, is {1e6 * calls / hours:.1f} us per hour; medians of {len(seconds['own'])}")


if __name__ == "__main__":
    main()
