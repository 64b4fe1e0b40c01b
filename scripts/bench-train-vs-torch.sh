#!/usr/bin/env bash
# #4 speed target: SameDiff training step vs PyTorch, same quiet machine, interleaved.
cd "$(dirname "$0")/.."
echo "== $(date -u +%H:%M:%S) $(uptime)"
for round in 1 2; do
  echo "== round $round: SameDiff OMP 1"; OMP_NUM_THREADS=1 ./step bench train --config configs/pusht-small.yaml --steps 6 --warmup 8 2>&1 | grep -v WARN | tail -4
  echo "== round $round: PyTorch threads=2"; /usr/bin/python3 ../shared/bench/torch_unet.py bench dims=64,128,256 batch=256 threads=2 trainSteps=6 warm=3 inferRuns=3 2>&1 | tail -3
  echo "== round $round: SameDiff OMP 2"; OMP_NUM_THREADS=2 ./step bench train --config configs/pusht-small.yaml --steps 6 --warmup 8 2>&1 | grep -v WARN | tail -4
done
echo "== $(date -u +%H:%M:%S) $(uptime)"
