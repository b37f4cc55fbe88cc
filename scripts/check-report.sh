#!/usr/bin/env bash
# Looks at a fairglb report.html in a real browser: renders it in headless Chromium, writes a
# full-page PNG screenshot and a PDF beside it, and fails if the page logs a console error, has a
# broken image, lacks the summary table, has a figure that renders empty, or has a figure whose
# text is under 7 pt at print size (measured from the glyphs' scale and the figure's width in
# inches).
#
#   scripts/check-report.sh [REPORT_HTML]      (default: results/paper-reproduction/report.html)
#
# Installs Debian's chromium if missing (needs root), and playwright-core (npm) into
# ~/.cache/fairglb-check to drive it.
set -euo pipefail
cd "$(dirname "$0")/.."
report=$(realpath "${1:-results/paper-reproduction/report.html}")
[ -f "$report" ] || { echo "check-report: no such file: $report" >&2; exit 2; }

if ! command -v chromium >/dev/null; then
  echo "installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
cache=${XDG_CACHE_HOME:-$HOME/.cache}/fairglb-check
if [ ! -d "$cache/node_modules/playwright-core" ]; then
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-audit --no-fund --silent playwright-core@1 >/dev/null
fi
NODE_PATH="$cache/node_modules" node scripts/check-report.cjs "$report" "$(command -v chromium)"
