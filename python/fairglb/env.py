"""A Gymnasium environment of a scenario: an agent allocates each hour's demand, one step per hour,
and its episode return is exactly minus the eGLB objective by which every policy is scored.

Needs the ``gym`` extra (``pip install .[gym]``). Use :class:`GlbEnv` as ``fairglb.GlbEnv``.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Mapping

import gymnasium as gym
import numpy as np
from gymnasium import spaces

import fairglb


class _Replay:
    """The flows an episode chose, replayed through the Rust loop to score them."""

    def __init__(self, name: str, flows: list[np.ndarray]):
        self.name = name
        self.flows = flows

    def decide(self, hour):
        return self.flows[hour.index]


class GlbEnv(gym.Env):
    """One scenario as an episode of ``len(problem.hours)`` steps, one per hour.

    **Observation** (a dict of float64 arrays): this hour's ``price_usd_per_mwh``,
    ``carbon_kg_per_kwh``, ``water_l_per_kwh`` and ``capacity_mw`` per data center,
    ``demand_mw`` per gateway, and the running totals so far per data center, ``water_m3`` and
    ``carbon_t``. After the last step it repeats the last hour's inputs with the final totals.

    **Action**: shares, shape ``(n_dcs, n_gateways)``, in [0, 1]: how much of each gateway's
    demand each data center should serve. They are mapped to a feasible allocation
    (``fairglb::model::allocation::from_shares``): each gateway's shares over the data centers
    its routing allows are normalised (equal if all 0); a data center over capacity has its flows
    scaled down to fit; what is left unserved goes to the spare capacity with the lowest energy
    price; if that cannot serve it (possible under a routing mask only), the hour is allocated
    greedily in the order of the demand the shares sent to each data center, most first
    (``info["repaired"]`` is then true).

    **Reward** (``reward="objective"``): minus the hour's energy cost, minus each equity weight
    times the increase of the highest (vulnerability-weighted) regional running total, water in
    m3 and carbon in t. The sum over the episode is minus the eGLB objective of the allocations
    chosen, to rounding (the tests hold it to 1e-12 of the Rust metrics' objective). ``reward`` may instead be a function of ``info`` returning a float.

    **Info**: the hour's ``hour_utc``, ``cost_usd``, per data center ``load_mw``, ``water_l``
    and ``carbon_kg``, the ``flows_mw`` applied, and ``repaired``. At the end of an episode the
    episode is scored by the Rust metrics beside the offline optimum (``fairglb.run`` with
    ``eglb-offline``, solved once per environment): ``objective_usd``, ``offline_objective_usd``
    and ``gap_to_offline``, and ``summary``, both policies' rows of ``Results.summary``.
    """

    metadata = {"render_modes": []}

    def __init__(
        self,
        scenario: str | os.PathLike = fairglb.DEFAULT_SCENARIO,
        set: Mapping[str, Any] | None = None,
        reward: str | Callable[[dict], float] = "objective",
        score_episodes: bool = True,
    ):
        if reward != "objective" and not callable(reward):
            raise ValueError(f"reward: {reward!r} is neither \"objective\" nor a function of info")
        self.scenario = os.path.abspath(os.fspath(scenario))
        self.overrides = dict(set or {})
        self.problem = fairglb.load(self.scenario, set=self.overrides)
        self.reward_of = reward
        self.score_episodes = score_episodes
        p = self.problem
        self.n_hours, self.n_dcs, self.n_gateways = len(p.hours), len(p.dcs), len(p.gateways)
        self._inputs = {
            "price_usd_per_mwh": p.price_usd_per_mwh,
            "carbon_kg_per_kwh": p.carbon_kg_per_kwh,
            "water_l_per_kwh": p.water_l_per_kwh,
            "demand_mw": p.demand_mw,
        }
        self._capacity = p.capacity_mw
        self._weights = (p.water_usd_per_m3, p.carbon_usd_per_t)
        self._vulnerability = (p.water_vulnerability, p.carbon_vulnerability)
        per_dc = lambda low: spaces.Box(low, np.inf, (self.n_dcs,), np.float64)  # noqa: E731
        self.observation_space = spaces.Dict({
            "price_usd_per_mwh": per_dc(-np.inf),
            "carbon_kg_per_kwh": per_dc(0.0),
            "water_l_per_kwh": per_dc(0.0),
            "capacity_mw": per_dc(0.0),
            "demand_mw": spaces.Box(0.0, np.inf, (self.n_gateways,), np.float64),
            "water_m3": per_dc(0.0),
            "carbon_t": per_dc(0.0),
        })
        self.action_space = spaces.Box(0.0, 1.0, (self.n_dcs, self.n_gateways), np.float32)
        self._offline: Any = None
        self._start()

    def _start(self) -> None:
        self._t = 0
        self._water_m3 = np.zeros(self.n_dcs)
        self._carbon_t = np.zeros(self.n_dcs)
        self._flows: list[np.ndarray] = []

    def _observation(self) -> dict[str, np.ndarray]:
        t = min(self._t, self.n_hours - 1)
        observation = {name: series[t].copy() for name, series in self._inputs.items()}
        observation["capacity_mw"] = self._capacity.copy()
        observation["water_m3"] = self._water_m3.copy()
        observation["carbon_t"] = self._carbon_t.copy()
        return observation

    def _equity_usd(self) -> float:
        """The equity terms of the objective on the running totals, USD."""
        (w_water, w_carbon), (v_water, v_carbon) = self._weights, self._vulnerability
        return float(w_water * max(0.0, (v_water * self._water_m3).max())
                     + w_carbon * max(0.0, (v_carbon * self._carbon_t).max()))

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        """Back to the first hour (the scenario is deterministic: ``seed`` seeds only
        ``self.np_random``, for agents that draw from it)."""
        super().reset(seed=seed)
        self._start()
        return self._observation(), {"hour_utc": self.problem.hours[0]}

    def step(self, action):
        if self._t >= self.n_hours:
            raise RuntimeError("the episode has ended: call reset()")
        t = self._t
        shares = np.asarray(action, dtype=np.float64).reshape(self.n_dcs, self.n_gateways)
        flows, repaired = self.problem.flows_from_shares(t, shares)
        loads = flows.sum(axis=1)
        cost, water_l, carbon_kg = self.problem.footprints(t, loads)
        before = self._equity_usd()
        self._water_m3 += water_l / 1000.0
        self._carbon_t += carbon_kg / 1000.0
        self._flows.append(flows)
        info = {
            "hour_utc": self.problem.hours[t],
            "cost_usd": float(cost.sum()),
            "load_mw": loads,
            "water_l": water_l,
            "carbon_kg": carbon_kg,
            "flows_mw": flows,
            "repaired": repaired,
        }
        objective_step = info["cost_usd"] + self._equity_usd() - before
        reward = -objective_step if self.reward_of == "objective" else float(self.reward_of(info))
        self._t += 1
        terminated = self._t == self.n_hours
        if terminated and self.score_episodes:
            info.update(self._score())
        return self._observation(), reward, terminated, False, info

    def _score(self) -> dict[str, Any]:
        """The episode's flows scored by the Rust metrics beside the offline optimum."""
        agent = _Replay("agent", self._flows)
        if self._offline is None:
            results = fairglb.run(self.scenario, set=self.overrides, policies=["eglb-offline", agent])
            self._offline = results.summary.filter(results.summary["policy"] == "eglb-offline")
        else:
            results = fairglb.run(self.scenario, set=self.overrides, policies=[agent])
        agent_row = results.summary.filter(results.summary["policy"] == "agent")
        objective, offline = agent_row["objective_usd"][0], self._offline["objective_usd"][0]
        return {
            "objective_usd": objective,
            "offline_objective_usd": offline,
            # As summary.csv's gap_to_offline.
            "gap_to_offline": (objective - offline) / max(abs(offline), sys.float_info.min),
            "summary": self._offline.vstack(agent_row.with_columns(
                gap_to_offline=(agent_row["objective_usd"] - offline) / max(abs(offline), sys.float_info.min))),
        }
