"""A random and a greedy agent on the Gymnasium environment, with their gap to the offline optimum.

    python python/examples/agents.py          (from the repository root; needs the gym extra)
"""

import numpy as np

import fairglb

env = fairglb.GlbEnv("scenarios/paper.toml", set={"horizon.hours": 168})


def episode(act):
    """One episode: the return and the final info (which carries the score)."""
    observation, _ = env.reset(seed=0)
    total, done = 0.0, False
    while not done:
        observation, reward, done, _, info = env.step(act(observation))
        total += reward
    return total, info


def greedy(observation):
    """All of every gateway's demand to the lowest price plus 60 USD/m3 of water and 1,500 USD/t
    of carbon (the objective's weights), the mapping spilling what does not fit to the cheapest."""
    unit = (observation["price_usd_per_mwh"] + 60 * observation["water_l_per_kwh"]
            + 1500 * observation["carbon_kg_per_kwh"])
    shares = np.zeros(env.action_space.shape, dtype=np.float32)
    shares[np.argmin(unit), :] = 1.0
    return shares


env.action_space.seed(0)
for name, act in [("random", lambda _: env.action_space.sample()), ("greedy", greedy)]:
    total, info = episode(act)
    print(f"{name:>7}: return {total:,.2f} USD = minus the objective {info['objective_usd']:,.2f}; "
          f"offline optimum {info['offline_objective_usd']:,.2f}; gap {100 * info['gap_to_offline']:.2f} %")
