#!/usr/bin/env bash
# BRIDGeR beside STEP on Push-T (issue 24, docs/results.md): bridger:2 and bridger:10 with step:2 (the default entry)
# and step:2:t10 (the shipped policy's recommended entry) on the comparison's three seed sets, 100 episodes each,
# paired against step:2. Evaluation is deterministic per seed, so each pair of rows ran the same start states.
# Usage: scripts/bridger-eval.sh OUT POLICY-ARGS...   e.g. scripts/bridger-eval.sh runs/bridger-eval --policy models/pusht-lowdim
# Then:  python3 scripts/eval_table.py OUT/seed-100000 OUT/seed-200000 OUT/seed-300000 --compare step:2
# Env: CONFIG (default configs/pusht-small.yaml), EPISODES (default 100), THREADS (default 2), STEP (default ./step),
#      METHODS (default bridger:2,bridger:10,step:2,step:2:t10), SEEDS (default "100000 200000 300000").
set -euo pipefail
OUT="$1"; shift
EPISODES="${EPISODES:-100}"; THREADS="${THREADS:-2}"; STEP="${STEP:-./step}"; CONFIG="${CONFIG:-configs/pusht-small.yaml}"
METHODS="${METHODS:-bridger:2,bridger:10,step:2,step:2:t10}"
cd "$(dirname "$0")/.."
for seed in ${SEEDS:-100000 200000 300000}; do
  echo "== $(date -u +%H:%M:%S) eval seed set $seed" >&2
  "$STEP" eval --config "$CONFIG" "$@" --methods "$METHODS" --compare step:2 --seed "$seed" --episodes "$EPISODES" \
    --threads "$THREADS" --videos 0 --force --out "$OUT/seed-$seed"
done
echo "== $(date -u +%H:%M:%S) done" >&2
