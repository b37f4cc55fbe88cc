"""Policies written in Python, run and checked by the Rust loop and scored like the built-ins."""

import numpy as np
import polars as pl
import pytest

import fairglb

PAPER = "scenarios/paper.toml"


class GreedyMinCost:
    """`min-cost` in Python: fill the cheapest data centers first, up to capacity."""

    name = "py-min-cost"

    def decide(self, hour):
        loads = np.zeros(len(hour.capacity_mw))
        left = hour.demand_mw.sum()
        for d in np.argsort(hour.price_usd_per_mwh, kind="stable"):
            if left <= 0:
                break
            loads[d] = min(left, hour.capacity_mw[d])
            left -= loads[d]
        return loads


class Proportional:
    """Each gateway's demand split over every data center in proportion to capacity, as a
    data-center x gateway matrix."""

    def decide(self, hour):
        share = hour.capacity_mw / hour.capacity_mw.sum()
        return np.outer(share, hour.demand_mw)


def test_a_python_min_cost_scores_as_the_rust_one_to_1e_9():
    results = fairglb.run(PAPER, policies=["eglb-offline", "min-cost", GreedyMinCost(), Proportional()])
    assert results.policies == ["min-cost", "eglb-offline", "py-min-cost", "Proportional"]
    summary = results.summary
    rust, python = (summary.filter(pl.col("policy") == p).drop("policy", "paper_name") for p in
                    ("min-cost", "py-min-cost"))
    for column in rust.columns:
        assert python[column][0] == pytest.approx(rust[column][0], rel=1e-9, abs=1e-9, nan_ok=True), column
    # Scored against the offline optimum like the built-ins: min-cost is 15.7 % above it.
    assert python["gap_to_offline"][0] == pytest.approx(0.156641, abs=1e-6)
    hourly = results.hourly
    loads = [hourly.filter(pl.col("policy") == p)["load_mw"].to_numpy() for p in ("min-cost", "py-min-cost")]
    np.testing.assert_allclose(loads[1], loads[0], rtol=0, atol=1e-9)
    assert (summary.filter(pl.col("policy") == "Proportional")["objective_usd"] > 0).all()


def test_a_policy_that_overloads_a_data_center_is_refused_naming_the_hour_and_constraint():
    class Overload:
        name = "overload"

        def decide(self, hour):
            loads = np.zeros(len(hour.capacity_mw))
            loads[0] = hour.demand_mw.sum()
            return loads

    with pytest.raises(fairglb.PolicyError) as caught:
        fairglb.run(PAPER, policies=[Overload()])
    message = str(caught.value)
    assert message.startswith("policy overload: hour 2022-09-22T00:00:00Z:"), message
    assert "capacity" in message, message


def test_an_exception_in_decide_is_a_policy_error_caused_by_it():
    class Broken:
        def decide(self, hour):
            if hour.index == 3:
                raise ZeroDivisionError("boom")
            return GreedyMinCost().decide(hour)

    with pytest.raises(fairglb.PolicyError) as caught:
        fairglb.run(PAPER, policies=[Broken()])
    assert "policy Broken: hour 2022-09-22T03:00:00Z: decide raised ZeroDivisionError: boom" in str(caught.value)
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


def test_a_wrong_shape_says_which_shapes_are_accepted():
    class Wrong:
        def decide(self, hour):
            return np.zeros(3)

    with pytest.raises(fairglb.PolicyError, match=r"shape \[3\]; expected \(10, 10\).* or \(10,\)"):
        fairglb.run(PAPER, policies=[Wrong()])
    # With a mask, per data center loads are ambiguous, so only the matrix is accepted.
    with pytest.raises(fairglb.PolicyError, match=r"shape \[10\]; expected \(10, 10\) \(data centers x gateways, MW\)$"):
        fairglb.run(PAPER, set={"routing": "partial"}, policies=[GreedyMinCost()])


def test_names_must_differ_and_objects_need_decide():
    class Impostor(GreedyMinCost):
        name = "min-cost"

    with pytest.raises(fairglb.PolicyError, match="called `min-cost`, as another policy \\(a built-in\\)"):
        fairglb.run(PAPER, policies=[Impostor()])

    class Twin(GreedyMinCost):
        pass

    with pytest.raises(fairglb.PolicyError, match="called `py-min-cost`, as another policy: give each"):
        fairglb.run(PAPER, policies=[GreedyMinCost(), Twin()])
    with pytest.raises(TypeError, match="neither a policy name nor an object with decide"):
        fairglb.run(PAPER, policies=[42])


def test_ctrl_c_in_decide_is_not_turned_into_a_policy_error():
    class Interrupted:
        def decide(self, hour):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fairglb.run(PAPER, policies=[Interrupted()])
