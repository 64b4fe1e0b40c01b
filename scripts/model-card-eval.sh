#!/usr/bin/env bash
# The evaluations behind a shipped policy's model card (issue 15 part 4), all closed loop in the Java Push-T simulator:
#   1. every method, 50 episodes, on three seed sets (100000+, 200000+, 300000+)
#   2. STEP at K' = 1, 2, 4 and the fine warm start (seed set 100000+)
#   3. the velocity-aware perturbation: off, default eps_a, and eps_a raised to where it fires (seed set 100000+)
# Usage: scripts/model-card-eval.sh OUT POLICY-ARGS...
#   e.g. scripts/model-card-eval.sh runs/card --dp models/pusht-lowdim
#        scripts/model-card-eval.sh runs/card --dp DPCKPT --predictor STEPCKPT --predictor SPATIALCKPT
# Then: python3 scripts/eval_table.py OUT/seed-100000 OUT/seed-200000 OUT/seed-300000
# Env: CONFIG (default configs/pusht-small.yaml), EPISODES (default 50), THREADS (default 2), EPS_A (raised thresholds, default "0.25 0.5"), STEP (default ./step).
set -euo pipefail
OUT="$1"; shift
EPISODES="${EPISODES:-50}"; THREADS="${THREADS:-2}"; STEP="${STEP:-./step}"
cd "$(dirname "$0")/.."
run() { echo "== $(date -u +%H:%M:%S) eval $*" >&2; "$STEP" eval --config "${CONFIG:-configs/pusht-small.yaml}" "$@" --episodes "$EPISODES" --threads "$THREADS" --videos 0 --force; }
for seed in 100000 200000 300000; do
  run "$@" --methods ddpm:100,ddim:2,dpmsolver:2,spatial:2,temporal:2,step:2,predictor --seed $seed --out "$OUT/seed-$seed"
done
run "$@" --methods step:1,step:2,step:4,step:2:fine,step:4:fine --seed 100000 --out "$OUT/kprime"
run "$@" --methods step:2:noperturb,step:2 --seed 100000 --out "$OUT/perturb-default"
for eps in ${EPS_A:-0.25 0.5}; do
  run "$@" --methods step:2 --seed 100000 --out "$OUT/perturb-eps-$eps" inference.eps_a=$eps
done
echo "== $(date -u +%H:%M:%S) done" >&2
