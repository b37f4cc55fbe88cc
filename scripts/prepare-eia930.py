#!/usr/bin/env python3
"""Prepare traces/2022/eia930_fuelmix_2022_hourly.csv.gz from the project's shared trace set.

Keeps the four balancing authorities of the 2022 scenarios and the fuel columns fairglb reads,
and moves the hours that `fairglb traces check` finds one hour early to where they belong
(traces/2022/PROVENANCE.md says why):

- PJM, the whole year: each row's hour + 1 h.
- CISO, up to 2022-06-13T16Z: each row's hour + 1 h; the source's empty (interpolated) row at
  2022-06-13T17Z, where the offset changes, is replaced by the moved 16Z row.

2022-01-01T00Z of a moved series has no source row: it repeats the next hour, `is_filled = 1`.
The row moved past 2022-12-31T23Z is dropped. Standard library only.

    python3 scripts/prepare-eia930.py SHARED_EIA930_CSV_GZ OUT_CSV_GZ [--no-realign]

With --no-realign the output is the file as first prepared (before the realignment).
"""

import csv
import gzip
import io
import sys
from datetime import datetime, timedelta, timezone

BAS = ["ERCO", "PJM", "CISO", "NYIS"]
COLUMNS = ["coal_mw", "natural_gas_mw", "nuclear_mw", "oil_mw", "other_mw", "solar_mw", "hydro_mw", "wind_mw"]
FIRST = datetime(2022, 1, 1, tzinfo=timezone.utc)
LAST = datetime(2022, 12, 31, 23, tzinfo=timezone.utc)
# Balancing authority -> rows before this hour are moved one hour later (None: every row).
REALIGN = {"PJM": None, "CISO": datetime(2022, 6, 13, 17, tzinfo=timezone.utc)}


def hour(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def label(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def realigned(rows, until):
    """rows: {hour: (values, is_filled)} of one BA; those before `until` one hour later."""
    moved = {}
    for t, row in rows.items():
        if until is None or t < until:
            moved[t + timedelta(hours=1)] = row
        elif t not in moved:
            moved[t] = row
    out = {t: row for t, row in moved.items() if t <= LAST}
    if FIRST not in out:
        values, _ = out[FIRST + timedelta(hours=1)]
        out[FIRST] = (values, "1")
    return out


def main(argv):
    if len(argv) not in (3, 4) or (len(argv) == 4 and argv[3] != "--no-realign"):
        sys.exit(__doc__)
    source, target, realign = argv[1], argv[2], len(argv) == 3
    series = {ba: {} for ba in BAS}
    with gzip.open(source, "rt", newline="") as f:
        for row in csv.DictReader(f):
            if row["ba"] in series:
                t = hour(row["timestamp_utc"])
                series[row["ba"]][t] = ([row[c] for c in COLUMNS], row["is_filled"])
    if realign:
        for ba, until in REALIGN.items():
            series[ba] = realigned(series[ba], until)
    hours = [FIRST + timedelta(hours=i) for i in range(8760)]
    # mtime 0 and no name in the header: the same input gives the same bytes.
    with open(target, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as z, io.TextIOWrapper(z, newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["timestamp_utc", "ba", *COLUMNS, "is_filled"])
        for ba in BAS:
            missing = [label(t) for t in hours if t not in series[ba]]
            if missing:
                sys.exit(f"{source}: {ba} has no row for {missing[0]} ({len(missing)} hours)")
            for t in hours:
                values, filled = series[ba][t]
                out.writerow([label(t), ba, *values, filled])


if __name__ == "__main__":
    main(sys.argv)
