"""Errors carry the command line's message, and the file and line they are about."""

import shutil

import pytest

import fairglb


def test_an_unknown_policy_lists_the_known_ones():
    with pytest.raises(fairglb.PolicyError, match="unknown policy `best`; known policies: nearest, min-cost"):
        fairglb.run(policies=["best"])


def test_a_bad_override_is_a_scenario_error():
    with pytest.raises(fairglb.ScenarioError) as caught:
        fairglb.load(set={"routing": "sideways"})
    assert "routing" in str(caught.value)
    assert isinstance(caught.value, fairglb.Error)


def test_a_missing_scenario_names_it():
    with pytest.raises(fairglb.ScenarioError) as caught:
        fairglb.load("no/such.toml")
    assert caught.value.file == "no/such.toml"
    assert str(caught.value).startswith("no/such.toml: ")


def test_a_broken_trace_row_names_file_and_line(tmp_path):
    shutil.copytree("scenarios", tmp_path / "scenarios")
    shutil.copytree("traces", tmp_path / "traces")
    trace = tmp_path / "traces" / "paper-2022" / "dc_hourly.csv"
    lines = trace.read_text().splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0] + ",oops"
    trace.write_text("\n".join(lines) + "\n")
    with pytest.raises(fairglb.TraceError) as caught:
        fairglb.load(tmp_path / "scenarios" / "paper.toml")
    assert caught.value.line == 6, str(caught.value)
    assert caught.value.file.endswith(trace.name)
    assert f"{trace.name}:6: " in str(caught.value)
