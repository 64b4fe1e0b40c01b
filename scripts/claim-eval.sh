#!/usr/bin/env bash
# The evaluations behind "STEP's own claim" (issue 20, docs/results.md), closed loop in the Java Push-T simulator:
#   1. the comparison at 2 steps plus STEP's K' and fine variants, 100 episodes on each of three seed sets
#      (100000+, 200000+, 300000+); DDPM-100 (40x slower per call) on the first set only
#   2. the entry sweep: STEP, temporal and spatial starts entering at t = 10 ... 90 with 2 solver steps (first set)
#   3. the contraction measurement (step analyze contraction)
# Usage: scripts/claim-eval.sh OUT POLICY-ARGS...      e.g. scripts/claim-eval.sh runs/claim --dp models/pusht-lowdim
# Then:  python3 scripts/eval_table.py OUT/seed-100000 OUT/seed-200000 OUT/seed-300000 OUT/ddpm --compare step:2
#        python3 scripts/eval_table.py OUT/entry --compare step:2
# Env: CONFIG (default configs/pusht-small.yaml), EPISODES (default 100), THREADS (default 2), STEP (default ./step),
#      METHODS (the 2-step comparison list), ENTRIES (default "10 30 50 70 90").
set -euo pipefail
OUT="$1"; shift
EPISODES="${EPISODES:-100}"; THREADS="${THREADS:-2}"; STEP="${STEP:-./step}"; CONFIG="${CONFIG:-configs/pusht-small.yaml}"
METHODS="${METHODS:-ddim:2,dpmsolver:2,spatial:2,temporal:2,falcon:2,step:2,step:2:fine,step:1,step:4,predictor}"
cd "$(dirname "$0")/.."
run() { echo "== $(date -u +%H:%M:%S) eval $*" >&2; "$STEP" eval --config "$CONFIG" "$@" --episodes "$EPISODES" --threads "$THREADS" --videos 0 --force; }
for seed in 100000 200000 300000; do
  run "$@" --methods "$METHODS" --compare step:2 --seed $seed --out "$OUT/seed-$seed"
done
run "$@" --methods ddpm:100,step:2 --compare step:2 --seed 100000 --out "$OUT/ddpm"
entry=""
for t in ${ENTRIES:-10 30 50 70 90}; do entry="$entry,step:2:t$t,temporal:2:t$t,spatial:2:t$t"; done
run "$@" --methods "${entry#,}" --seed 100000 --out "$OUT/entry"
echo "== $(date -u +%H:%M:%S) analyze contraction" >&2
"$STEP" analyze contraction --config "$CONFIG" "$@" --windows "${WINDOWS:-64}" --out "$OUT/contraction" --force
echo "== $(date -u +%H:%M:%S) done" >&2
