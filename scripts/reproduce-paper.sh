#!/usr/bin/env bash
# Reproduces the eGLB paper's case study end to end into results/paper-reproduction/: all policies under full
# and partial routing, the equity-weight and online-step sweeps, every figure (PNG and SVG), and
# one self-contained report (results/paper-reproduction/report.html). Sweeps resume if rerun.
#
#   scripts/reproduce-paper.sh [OUT]     (default: results/paper-reproduction)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/paper-reproduction}
if [ -n "${FAIRGLB:-}" ]; then bin=$FAIRGLB; else cargo build --release --quiet; bin=target/release/fairglb; fi

"$bin" run scenarios/paper.toml --out "$out/full"
"$bin" run scenarios/paper.toml --set routing=partial --out "$out/partial"
"$bin" sweep scenarios/paper-weights-sweep.toml --out "$out/weights-sweep"
"$bin" sweep scenarios/paper-online-step-sweep.toml --out "$out/online-step-sweep"
for part in full partial weights-sweep online-step-sweep; do
  "$bin" plot "$out/$part" --format both >/dev/null
  echo "figures: $out/$part/figures/"
done
"$bin" report "$out/full" "$out/partial" "$out/weights-sweep" "$out/online-step-sweep" --out "$out/report.html"
