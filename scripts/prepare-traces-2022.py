#!/usr/bin/env python3
"""Prepare traces/2022/'s weather, carbon, price and annual-mix files from the project's shared
trace set: the rows of the sites and zones that scenarios/global-2022.toml and
global16-2022.toml use, and the columns fairglb reads. Rows keep the shared files' order and
text, value for value; nothing is computed. traces/2022/PROVENANCE.md says what each file holds.

    python3 scripts/prepare-traces-2022.py SHARED_TRACES_DIR OUT_DIR

SHARED_TRACES_DIR holds weather/openmeteo_2022_hourly_16sites.csv.gz,
carbon/electricitymaps_2022_hourly_16zones.csv.gz, prices/prices_2022_hourly_18regions.csv.gz and
carbon/electricitymaps_2022_annual_mix_shares.csv. Gzip output has mtime 0 and no name in its
header, so the same input gives the same bytes. Standard library only. (The fuel mix is
scripts/prepare-eia930.py's; the fuel factors are copied unchanged.)
"""

import csv
import gzip
import io
import os
import sys

# The sixteen sites of global16-2022 (the ten of global-2022 and six more): every region with
# hourly 2022 weather and carbon in the shared set.
REGIONS = [
    "US-NY-NYIS", "US-MIDA-PJM", "US-TEX-ERCO", "US-CAL-CISO", "DE-LU", "CA-ON", "SG", "AU-VIC",
    "AU-NSW", "CL-SIC", "BR-SP", "ZA", "KR", "IN-WE", "JP-TK", "GB",
]
# Price regions: every site's own where it has one, and BE and ES, the series global16-2022
# borrows for London and Johannesburg (scenarios/global16-2022.toml says which and why).
PRICE_REGIONS = [
    "US-TEX-ERCO", "US-MIDA-PJM", "US-CAL-CISO", "US-NY-NYIS", "DE-LU", "BE", "ES", "JP-TK", "SG",
    "KR", "CA-ON", "AU-NSW", "AU-VIC",
]
# Annual-mix zones: Electricity Maps' names (DE for DE-LU, BR-CS for BR-SP, CL-SEN for CL-SIC).
MIX_ZONES = [
    "AU-NSW", "AU-VIC", "BR-CS", "CA-ON", "CL-SEN", "DE", "GB", "IN-WE", "JP-TK", "KR", "SG",
    "US-CAL-CISO", "US-MIDA-PJM", "US-NY-NYIS", "US-TEX-ERCO", "ZA",
]

# (shared file, output file, key column, kept keys, kept columns)
HOURLY = [
    (
        "weather/openmeteo_2022_hourly_16sites.csv.gz",
        "weather_2022_hourly.csv.gz",
        "region",
        REGIONS,
        ["timestamp_utc", "region", "site", "lat", "lon", "elevation_m", "temp_c", "rh_pct", "wetbulb_c"],
    ),
    (
        "carbon/electricitymaps_2022_hourly_16zones.csv.gz",
        "carbon_2022_hourly.csv.gz",
        "zone",
        REGIONS,
        ["timestamp_utc", "zone", "ci_direct_gco2eq_per_kwh", "ci_lca_gco2eq_per_kwh", "estimated"],
    ),
    (
        "prices/prices_2022_hourly_18regions.csv.gz",
        "prices_2022_hourly.csv.gz",
        "region",
        PRICE_REGIONS,
        ["timestamp_utc", "region", "currency", "price_native_per_mwh", "is_filled"],
    ),
]
HOURS = 8760


def subset(rows, key, keys, columns, source):
    """The rows whose `key` is in `keys`, with `columns`; each key must have all HOURS rows."""
    kept = [[row[c] for c in columns] for row in rows if row[key] in keys]
    counts = {k: 0 for k in keys}
    for row in kept:
        counts[row[columns.index(key)]] += 1
    short = {k: n for k, n in counts.items() if n != HOURS}
    if short:
        sys.exit(f"{source}: expected {HOURS} rows per {key}, found {short}")
    return kept


def write_gzip(path, columns, rows):
    with open(path, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as z, io.TextIOWrapper(
        z, encoding="utf-8", newline=""
    ) as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(columns)
        out.writerows(rows)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    shared, target = argv[1], argv[2]
    for source, name, key, keys, columns in HOURLY:
        path = os.path.join(shared, source)
        with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
            rows = subset(csv.DictReader(f), key, keys, columns, path)
        write_gzip(os.path.join(target, name), columns, rows)
    path = os.path.join(shared, "carbon/electricitymaps_2022_annual_mix_shares.csv")
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().splitlines(keepends=True)
    kept = [line for line in lines[1:] if line.split(",", 1)[0] in MIX_ZONES]
    if len(kept) != len(MIX_ZONES):
        sys.exit(f"{path}: expected {len(MIX_ZONES)} of the zones {MIX_ZONES}, found {len(kept)}")
    with open(os.path.join(target, "electricitymaps_2022_annual_mix_shares.csv"), "w", newline="") as f:
        f.writelines([lines[0], *kept])


if __name__ == "__main__":
    main(sys.argv)
