#!/usr/bin/env bash
# `make demo`: a synthetic national world run through the monthly flow.
# DEMO_SCALE (default 0.05 = 5 % of Denmark) and DEMO_MONTHS can be overridden.
set -euo pipefail
FLIS=.venv/bin/flis
export FLIS_DEMO=1
export FLIS_HOME="${FLIS_HOME:-$PWD/flis-home}"
SCALE="${DEMO_SCALE:-0.05}"
MONTHS="${DEMO_MONTHS:-2024-08:2024-10}"
WORLD="$FLIS_HOME/demo-world"

echo "== flis demo: scale $SCALE, months $MONTHS, state in $FLIS_HOME"
rm -rf "$WORLD"
$FLIS generate --out "$WORLD" --scale "$SCALE" --months "$MONTHS" --seed 1 --faults realistic
echo "Faults injected (ground truth): $WORLD/faults.json"
