"""fairglb.sweep: the sweep.csv of `fairglb sweep`, as a DataFrame."""

import subprocess

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import fairglb


def test_a_sweep_is_the_clis_byte_for_byte(cli, tmp_path):
    frame = fairglb.sweep(
        axes={"routing": ["full", "partial"], "equity.water_usd_per_m3": "30:120:3"},
        policies=["min-cost", "eglb-offline"],
        set={"horizon.hours": 48},
        out=tmp_path / "py",
    )
    subprocess.run(
        [cli, "sweep", "scenarios/paper.toml", "--axis", "routing=full,partial",
         "--axis", "equity.water_usd_per_m3=30:120:3", "--policy", "min-cost", "--policy", "eglb-offline",
         "--set", "horizon.hours=48", "--out", tmp_path / "cli", "--quiet"],
        check=True,
    )
    assert (tmp_path / "py" / "sweep.csv").read_bytes() == (tmp_path / "cli" / "sweep.csv").read_bytes()
    assert frame.height == 2 * 3 * 2
    assert frame.columns[:4] == ["run", "routing", "equity.water_usd_per_m3", "policy"]
    assert sorted(set(frame["equity.water_usd_per_m3"])) == [30.0, 75.0, 120.0]
    # Without a folder, a temporary one: the same rows.
    again = fairglb.sweep(
        axes={"routing": ["full", "partial"], "equity.water_usd_per_m3": [30, 75, 120]},
        policies=["min-cost", "eglb-offline"],
        set={"horizon.hours": 48},
        threads=1,
    )
    assert_frame_equal(again, frame)
    offline = frame.filter(pl.col("policy") == "eglb-offline")
    assert (offline["gap_to_offline"] == 0).all()


def test_a_bad_axis_is_a_scenario_error():
    with pytest.raises(fairglb.ScenarioError, match="no_such_key"):
        fairglb.sweep(axes={"no_such_key": [1, 2]}, policies=["min-cost"])
