"""The Gymnasium environment: the API checker, the return as minus the objective, the action
mapping, and the offline optimum at the end of an episode."""

import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import fairglb

DAY = {"horizon.hours": 24}


def play(env, act):
    """One episode with `act(observation)`: the return and the last info."""
    observation, _ = env.reset(seed=1)
    total, done = 0.0, False
    while not done:
        observation, reward, done, truncated, info = env.step(act(observation))
        assert not truncated
        total += reward
    return total, info


def test_it_passes_the_gymnasium_checker():
    check_env(fairglb.GlbEnv(set=DAY, score_episodes=False))


@pytest.mark.parametrize("routing", ["full", "partial"])
def test_the_return_is_minus_the_objective_and_the_end_reports_the_optimum(routing):
    env = fairglb.GlbEnv(set={**DAY, "routing": routing})
    env.action_space.seed(7)
    total, info = play(env, lambda _: env.action_space.sample())
    assert -total == pytest.approx(info["objective_usd"], rel=1e-12)
    offline = fairglb.run(set={**DAY, "routing": routing}, policies=["eglb-offline"]).summary
    assert info["offline_objective_usd"] == offline["objective_usd"][0]
    assert info["gap_to_offline"] == pytest.approx(info["objective_usd"] / info["offline_objective_usd"] - 1)
    assert info["gap_to_offline"] > 0
    assert info["summary"]["policy"].to_list() == ["eglb-offline", "agent"]


def test_the_offline_flows_as_shares_score_the_optimum():
    """Shares equal to the optimum's own flows map back to them, so the return is the optimum."""
    env = fairglb.GlbEnv(set=DAY)
    flows = fairglb.run(set=DAY, policies=["eglb-offline"], outputs=["flows"]).flows
    dcs, gateways = env.problem.dcs, env.problem.gateways
    plan = np.zeros((24, len(dcs), len(gateways)))
    for row in flows.iter_rows(named=True):
        hour = env.problem.hours.index(row["hour_utc"])
        plan[hour, dcs.index(row["dc"]), gateways.index(row["gateway"])] = row["load_mw"]
    step = iter(range(24))
    total, info = play(env, lambda _: plan[next(step)])
    assert info["gap_to_offline"] == pytest.approx(0, abs=1e-9)
    assert -total == pytest.approx(info["offline_objective_usd"], rel=1e-9)


def test_observations_carry_the_hour_and_the_running_totals():
    env = fairglb.GlbEnv(set=DAY)
    observation, _ = env.reset()
    problem = env.problem
    np.testing.assert_array_equal(observation["price_usd_per_mwh"], problem.price_usd_per_mwh[0])
    np.testing.assert_array_equal(observation["demand_mw"], problem.demand_mw[0])
    assert not observation["water_m3"].any()
    observation, _, _, _, info = env.step(np.ones(env.action_space.shape, dtype=np.float32))
    np.testing.assert_allclose(observation["water_m3"], info["water_l"] / 1000)
    np.testing.assert_allclose(observation["carbon_t"], info["carbon_kg"] / 1000)
    np.testing.assert_allclose(info["flows_mw"].sum(axis=0), problem.demand_mw[0], atol=1e-9)
    assert (info["load_mw"] <= problem.capacity_mw + 1e-9).all()
    np.testing.assert_array_equal(observation["price_usd_per_mwh"], problem.price_usd_per_mwh[1])


def test_all_on_one_data_center_is_repaired_to_a_feasible_hour():
    env = fairglb.GlbEnv(set={**DAY, "routing": "partial"}, score_episodes=False)
    env.reset()
    action = np.zeros(env.action_space.shape, dtype=np.float32)
    action[0, :] = 1.0  # every gateway to the first data center, allowed or not
    _, _, _, _, info = env.step(action)
    mask = env.problem.mask
    assert (info["flows_mw"][~mask] == 0).all()
    np.testing.assert_allclose(info["flows_mw"].sum(axis=0), env.problem.demand_mw[0], atol=1e-9)
    assert (info["load_mw"] <= env.problem.capacity_mw + 1e-9).all()
