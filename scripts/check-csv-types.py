#!/usr/bin/env python3
"""Every CSV fairglb writes reads typed with pandas and polars, no options.

Runs two days of the paper (no on-site/off-site water split) and of the global year (with it),
and two sweeps of the same axis typed differently (`30,60` and `30.0,90.5`); then, for every CSV,
checks that pandas and polars (read_csv, no options) type every column `results/README.md`
gives a numeric unit as numbers and `nearest` as booleans, that the paper's and the global
year's files concatenate in polars (pl.concat, strict), and that the two sweeps do too.

    python3 scripts/check-csv-types.py        # uses $FAIRGLB, else builds target/release/fairglb

Needs pandas and polars (`pip install pandas polars`). Exits 1 on the first failure.
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
FAIRGLB = os.environ.get("FAIRGLB")


def documented_units():
    """file -> {column: unit} from the tables of results/README.md."""
    text = (ROOT / "results/README.md").read_text()
    units = {}
    for section in text.split("\n### ")[1:]:
        name = section.splitlines()[0].strip()
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        units[name] = {}
        for row in rows:
            cells = [c.strip() for c in row.strip("|").split("|")]
            units[name][cells[0].strip("`")] = cells[1]
    return units


def kind(unit):
    if unit in ("", "RFC 3339"):
        return "text"
    if unit == "integer":
        return "integer"
    if unit == "true/false":
        return "bool"
    return "number"


def fairglb(*args):
    subprocess.run([FAIRGLB, *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def check_types(path, units):
    pandas_frame, polars_frame = pd.read_csv(path), pl.read_csv(path)
    for column in polars_frame.columns:
        expected = kind(units.get(column, "as the key"))
        pd_type, pl_type = pandas_frame[column].dtype, polars_frame.schema[column]
        if expected == "number":
            ok = pd.api.types.is_float_dtype(pd_type) and pl_type == pl.Float64
        elif expected == "integer":
            ok = pd.api.types.is_integer_dtype(pd_type) and pl_type == pl.Int64
        elif expected == "bool":
            ok = pd.api.types.is_bool_dtype(pd_type) and pl_type == pl.Boolean
        else:
            ok = pl_type in (pl.String, pl.Int64)
        if not ok:
            sys.exit(f"{path}: column {column} should read as {expected}; pandas {pd_type}, polars {pl_type}")
    return polars_frame


def main():
    global FAIRGLB
    if not FAIRGLB:
        subprocess.run(["cargo", "build", "--release", "--quiet"], check=True, cwd=ROOT)
        FAIRGLB = str(ROOT / "target/release/fairglb")
    units = documented_units()
    work = Path(tempfile.mkdtemp())
    paper, world = work / "paper", work / "global"
    fairglb("run", "scenarios/paper.toml", "--set", "horizon.hours=48", "--out", str(paper))
    fairglb("run", "scenarios/global-2022.toml", "--set", "horizon.hours=48", "--out", str(world))
    checked = 0
    for csv_path in sorted(paper.glob("*.csv")):
        name = csv_path.name
        a = check_types(csv_path, units[name])
        b = check_types(world / name, units[name])
        pl.concat([a, b])
        checked += 2
    onsite = pl.read_csv(paper / "regions.csv")["water_onsite_l"]
    if not onsite.is_nan().all():
        sys.exit(f"{paper / 'regions.csv'}: the paper's water_onsite_l should be unknown (NaN) throughout")

    sweeps = []
    for values, out in (("30,60", "sweep-a"), ("30.0,90.5", "sweep-b")):
        fairglb("sweep", "scenarios/paper.toml", "--set", "horizon.hours=24", "--policy", "min-cost",
                "--axis", f"equity.water_usd_per_m3={values}", "--axis", "horizon.hours=12,24",
                "--out", str(work / out))
        sweeps.append(check_types(work / out / "sweep.csv", {**units["summary.csv"], **units["sweep.csv"],
                                                              "equity.water_usd_per_m3": "USD/m3", "horizon.hours": "integer",
                                                              "run": "integer"}))
        checked += 1
    both = pl.concat(sweeps)
    water = both["equity.water_usd_per_m3"].to_list()
    if water != [30.0, 30.0, 60.0, 60.0, 30.0, 30.0, 90.5, 90.5] or both.schema["horizon.hours"] != pl.Int64:
        sys.exit(f"sweep axes: {both.select('equity.water_usd_per_m3', 'horizon.hours')}")
    texts = {re.sub(r"\s", "", (work / o / "sweep.csv").read_text().splitlines()[1]) for o in ("sweep-a", "sweep-b")}
    if not all(",30.0," in t for t in texts):
        sys.exit(f"the axis value 30 is not written 30.0 in both sweeps: {texts}")
    print(f"{checked} CSVs typed alike by pandas {pd.__version__} and polars {pl.__version__}; "
          f"paper and global files concatenate, and so do two sweeps of one axis")


if __name__ == "__main__":
    main()
