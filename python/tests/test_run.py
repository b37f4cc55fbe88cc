"""fairglb.run: the same results as the command line, as DataFrames and as a folder."""

import json
import subprocess

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import fairglb

PAPER = "scenarios/paper.toml"


@pytest.fixture(scope="module")
def paper():
    return fairglb.run(PAPER)


def test_every_policy_in_registry_order_and_the_paper_table(paper):
    assert paper.policies == list(fairglb.DEFAULT_POLICIES)
    summary = paper.summary
    assert summary["policy"].to_list() == list(fairglb.DEFAULT_POLICIES)
    offline = summary.filter(pl.col("policy") == "eglb-offline")
    # The paper's offline optimum (README; HiGHS agrees to 1.3e-11).
    assert offline["objective_usd"][0] == pytest.approx(623661.352486, rel=1e-9)
    assert offline["gap_to_offline"][0] == 0.0
    assert (summary["gap_to_offline"] >= 0).all()
    assert summary.to_pandas().shape == (len(fairglb.DEFAULT_POLICIES), summary.width)


def test_write_is_the_cli_folder_byte_for_byte(paper, cli, tmp_path):
    subprocess.run([cli, "run", PAPER, "--out", tmp_path / "cli", "--quiet"], check=True)
    paper.write(tmp_path / "py")
    cli_files = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert cli_files == sorted(p.name for p in (tmp_path / "py").iterdir())
    for name in cli_files:
        if name in ("timings.csv", "manifest.json"):
            continue
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "py" / name).read_bytes(), name
    manifests = [json.loads((tmp_path / d / "manifest.json").read_text()) for d in ("cli", "py")]
    assert manifests[0].pop("command_line")[0] == "fairglb"
    assert manifests[1].pop("command_line") == ["fairglb.run('scenarios/paper.toml', set={}, policies=None)"]
    assert manifests[0] == manifests[1]
    assert paper.manifest["files_sha256"] == manifests[1]["files_sha256"]


def test_frames_are_the_files_as_polars_reads_them(paper, tmp_path):
    paper.write(tmp_path / "out")
    frames = {
        "summary.csv": paper.summary,
        "regions.csv": paper.regions,
        "hourly.csv": paper.hourly,
        "flows.csv": paper.flows,
        "intensity.csv": paper.intensity,
        "demand.csv": paper.demand,
        "routes.csv": paper.routes,
    }
    for name, frame in frames.items():
        assert_frame_equal(frame, pl.read_csv(tmp_path / "out" / name), check_exact=True)
    assert paper.hourly.columns[:4] == ["policy", "hour_utc", "dc", "load_mw"]


def test_overrides_outputs_and_determinism():
    first = fairglb.run(PAPER, set={"routing": "partial", "horizon.hours": 48},
                        policies=["min-cost", "eglb-offline"], outputs=["hourly"])
    again = fairglb.run(PAPER, set={"routing": "partial", "horizon.hours": 48},
                        policies=["eglb-offline", "min-cost"], threads=1, outputs=["hourly"])
    assert first.policies == ["min-cost", "eglb-offline"]
    assert first.hourly.height == 2 * 48 * 10 and first.flows.height > 0
    assert first.manifest["routing"] == "partial" and first.manifest["hours"] == 48
    for name in ("summary", "regions", "hourly", "flows", "intensity", "demand", "routes"):
        assert_frame_equal(getattr(first, name), getattr(again, name), check_exact=True)


def test_outputs_choose_the_files_written(tmp_path):
    fairglb.run(PAPER, set={"horizon.hours": 24}, policies="min-cost", outputs="hourly").write(tmp_path / "a")
    assert (tmp_path / "a" / "hourly.csv").exists() and not (tmp_path / "a" / "flows.csv").exists()
    with pytest.raises(ValueError, match="`daily` is not one of hourly, flows, none"):
        fairglb.run(PAPER, outputs=["daily"])


def test_load_gives_the_inputs_as_arrays_with_units():
    problem = fairglb.load(PAPER, set={"horizon.hours": 24})
    n_dcs, n_gateways = len(problem.dcs), len(problem.gateways)
    assert (len(problem.hours), n_dcs, n_gateways) == (24, 10, 10)
    for name in ("price_usd_per_mwh", "carbon_kg_per_kwh", "water_l_per_kwh"):
        assert getattr(problem, name).shape == (24, n_dcs)
    assert problem.demand_mw.shape == (24, n_gateways)
    assert problem.capacity_mw.shape == (n_dcs,)
    assert problem.mask.dtype == np.bool_ and problem.mask.all()
    assert problem.routing == "full" and problem.water_onsite_l_per_kwh is None
    # The same numbers as the run's intensity table.
    intensity = fairglb.run(PAPER, set={"horizon.hours": 24}, policies=["nearest"]).intensity
    np.testing.assert_array_equal(
        intensity["price_usd_per_mwh"].to_numpy().reshape(24, n_dcs), problem.price_usd_per_mwh
    )
