"""A policy written in Python, scored beside eGLB online and the exact offline optimum.

It routes each hour's demand to the data centers with the lowest price plus a fixed charge on
their water and carbon (the equity weights spread over the horizon), cheapest first.

    python python/examples/my_policy.py       (from the repository root)
"""

import numpy as np

import fairglb

SCENARIO = "scenarios/paper.toml"


class ChargedGreedy:
    """Cheapest first, at `price + water x water charge + carbon x carbon charge` per MWh."""

    name = "charged-greedy"

    def __init__(self, problem):
        # Charge each MWh a share of the equity weights: USD per m3 and per t over N regions.
        n = len(problem.dcs)
        self.water_usd_per_m3 = problem.water_usd_per_m3 / n
        self.carbon_usd_per_t = problem.carbon_usd_per_t / n

    def decide(self, hour):
        # l/kWh = m3/MWh and kg/kWh = t/MWh.
        unit = (hour.price_usd_per_mwh + self.water_usd_per_m3 * hour.water_l_per_kwh
                + self.carbon_usd_per_t * hour.carbon_kg_per_kwh)
        loads = np.zeros(len(unit))
        left = hour.demand_mw.sum()
        for d in np.argsort(unit, kind="stable"):
            loads[d] = min(left, hour.capacity_mw[d])
            left -= loads[d]
        return loads  # MW per data center: full routing splits it over gateways


policy = ChargedGreedy(fairglb.load(SCENARIO))
results = fairglb.run(SCENARIO, policies=[policy, "eglb-online", "eglb-offline"])
print(results.summary.select("policy", "objective_usd", "gap_to_offline", "water_max_m3", "carbon_max_t"))
