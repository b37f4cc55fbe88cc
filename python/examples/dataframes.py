"""The paper scenario's results as DataFrames, and a figure of each region's water per policy.

    python python/examples/dataframes.py [FIGURE.png]     (from the repository root; needs matplotlib)
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import polars as pl  # noqa: E402

import fairglb  # noqa: E402

results = fairglb.run("scenarios/paper.toml")
print(results.summary.select("policy", "objective_usd", "gap_to_offline", "water_par", "carbon_par"))

# Each data center's water over the horizon, m3, one group of bars per policy.
water = results.regions.with_columns(water_m3=pl.col("water_l") / 1000).pivot(
    on="dc", index="policy", values="water_m3"
)
print(water)
figure, axes = plt.subplots(figsize=(7, 3.2), layout="constrained")
water.to_pandas().set_index("policy").plot.bar(ax=axes, width=0.85, legend=False)
axes.set_ylabel("water, m3")
axes.set_title("Each region's water over the paper's 457 hours")
figure.legend(title="data center", loc="outside right center", fontsize=7)
out = sys.argv[1] if len(sys.argv) > 1 else "paper-water.png"
figure.savefig(out, dpi=200)
print(f"figure: {out}")
