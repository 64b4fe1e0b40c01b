#!/usr/bin/env bash
# Issue 15: SameDiff training steps against PyTorch twins, interleaved in one window, one summary line per pair.
#   small U-Net [64,128,256]  batch 256: SameDiff OMP 1 / OMP 1 + 2 OpenBLAS threads (STEP_BLAS_THREADS=2) / OMP 2
#                                        vs PyTorch 1 / 2 threads (2 rounds)
#   full U-Net [256,512,1024] batch 256: the same without SameDiff OMP 2 (slowest in every run so far), 1 round, 2 steps
#   STEP predictor (d 128)    batch 256: the same, 1 round
#   image DP, ResNet-18-GN encoder + U-Net [64,128,256] (configs/pusht_image-small.yaml with
#     policy.obs_encoder=resnet18_gn), batch 32: SameDiff OMP 1 vs PyTorch 1 / 2 threads (scripts/torch_image_dp.py), 1 round
#   image DP as configs/pusht_image-small.yaml ships (small conv encoder, 64 features), batch 32: the same
# Ratio = SameDiff's best (lowest) median / PyTorch's best median, both from this run. Run on a quiet machine.
# The peer: Debian's PyTorch with OpenBLAS, `apt-get install -y python3-torch libopenblas0-pthread` (without the
# second package Debian's torch runs its matmuls on the reference libblas, ~7x slower, which flatters SameDiff on the
# predictor; its convolutions use oneDNN either way). The script refuses to run on the reference BLAS.
# Usage: scripts/bench-train-vs-torch.sh [quick|image]   ("quick": fewer steps, for checking that it works;
#   "image": only the two image pairs, with quick's step counts)
# The ratio uses wall-time medians on both sides; PyTorch's torch_unet.py also times inference after its train steps
# (not part of the ratio, but of the script's run time: ~10 min in all on 2 quiet cores, estimated).
set -u
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
TORCH_UNET=${TORCH_UNET:-../shared/bench/torch_unet.py}
[ -f "$TORCH_UNET" ] || { echo "bench-train-vs-torch: $TORCH_UNET not found (the PyTorch twin sits in ../shared/bench beside the repository; set TORCH_UNET=PATH)" >&2; exit 2; }
LOG=$(mktemp "${TMPDIR:-/tmp}/bench-train-vs-torch.XXXXXX")
MODE=${1:-full}
if [ "$MODE" = quick ] || [ "$MODE" = image ]; then
  S_STEPS=3; S_WARM=4; F_STEPS=1; F_WARM=1; P_STEPS=3; P_WARM=6; T_STEPS=3; T_WARM=1; ROUNDS=1; I_STEPS=1; I_WARM=1
else
  S_STEPS=6; S_WARM=8; F_STEPS=2; F_WARM=2; P_STEPS=6; P_WARM=12; T_STEPS=6; T_WARM=3; ROUNDS=2; I_STEPS=2; I_WARM=2
fi
if ! readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 | grep -q openblas; then
  echo "bench-train-vs-torch: PyTorch would use the reference BLAS; apt-get install -y libopenblas0-pthread first" >&2; exit 2
fi
./step --version >/dev/null 2>&1 || ./step --help >/dev/null 2>&1   # builds the jar first if needed (not timed)

# record KEY MS: appends "KEY MS" to the log and echoes the raw line
sd() {   # sd KEY OMP BLAS ARGS...   (BLAS: STEP_BLAS_THREADS, OpenBLAS threads for the GEMMs; - = ND4J's default)
  local key=$1 omp=$2 blas=$3; shift 3
  local out
  if [ "$blas" = - ]; then out=$(OMP_NUM_THREADS=$omp ./step bench train "$@" 2>&1 | grep -v WARN | grep 'train step')
  else out=$(STEP_BLAS_THREADS=$blas OMP_NUM_THREADS=$omp ./step bench train "$@" 2>&1 | grep -v WARN | grep 'train step'); fi
  echo "  $key: $out"
  echo "$key $(sed -n 's/.*batch [0-9]*: median \([0-9.]*\) ms.*/\1/p' <<<"$out")" >>"$LOG"
}
pt() {   # pt KEY SCRIPT ARGS...
  local key=$1 script=$2; shift 2
  local out; out=$($PY "$script" bench "$@" 2>&1 | grep RESULT)
  echo "  $key: $out"
  echo "$key $(sed -n 's/.*train_ms=\([0-9.]*\).*/\1/p' <<<"$out")" >>"$LOG"
}
best() { awk -v k="$1" '$1 == k && $2 != "" { if (b == "" || $2 < b) b = $2 } END { print b }' "$LOG"; }
summary() {   # summary NAME SD_KEY TORCH_KEY
  local s1 sb s2 t1 t2
  s1=$(best "$2.omp1"); sb=$(best "$2.omp1blas2"); s2=$(best "$2.omp2"); t1=$(best "$3.t1"); t2=$(best "$3.t2")
  awk -v n="$1" -v s1="$s1" -v sb="$sb" -v s2="$s2" -v t1="$t1" -v t2="$t2" 'BEGIN {
    if (s1 == "" || t1 == "") { printf "SUMMARY %-12s incomplete (samediff %s/%s/%s, torch %s/%s)\n", n, s1, sb, s2, t1, t2; exit }
    s = s1; if (sb != "" && sb < s) s = sb; if (s2 != "" && s2 < s) s = s2; t = t1; if (t2 != "" && t2 < t) t = t2
    printf "SUMMARY %-12s SameDiff best %.0f ms (OMP1 %s, OMP1+BLAS2 %s, OMP2 %s) | PyTorch best %.0f ms (1 thr %s, 2 thr %s) | ratio %.2fx\n", n, s, s1, sb, s2, t, t1, t2, s / t }'
}

echo "== $(date -u +%H:%M:%S) start, load $(cut -d' ' -f1-3 /proc/loadavg), nproc $(nproc)"
if [ "$MODE" != image ]; then
for r in $(seq 1 $ROUNDS); do
  echo "== round $r: small U-Net [64,128,256], batch 256"
  sd small.omp1 1 - --config configs/pusht-small.yaml --steps $S_STEPS --warmup $S_WARM
  pt torch_small.t1 "$TORCH_UNET" dims=64,128,256 batch=256 threads=1 trainSteps=$T_STEPS warm=$T_WARM inferRuns=3
  sd small.omp1blas2 1 2 --config configs/pusht-small.yaml --steps $S_STEPS --warmup $S_WARM
  sd small.omp2 2 - --config configs/pusht-small.yaml --steps $S_STEPS --warmup $S_WARM
  pt torch_small.t2 "$TORCH_UNET" dims=64,128,256 batch=256 threads=2 trainSteps=$T_STEPS warm=$T_WARM inferRuns=3
done
echo "== STEP predictor (kind step, d 128), batch 256"
sd pred.omp1 1 - --config configs/pusht-small.yaml --model predictor --steps $P_STEPS --warmup $P_WARM
pt torch_pred.t1 scripts/torch_predictor.py batch=256 threads=1 trainSteps=$T_STEPS warm=$T_WARM
sd pred.omp1blas2 1 2 --config configs/pusht-small.yaml --model predictor --steps $P_STEPS --warmup $P_WARM
sd pred.omp2 2 - --config configs/pusht-small.yaml --model predictor --steps $P_STEPS --warmup $P_WARM
pt torch_pred.t2 scripts/torch_predictor.py batch=256 threads=2 trainSteps=$T_STEPS warm=$T_WARM
echo "== full U-Net [256,512,1024], batch 256"
sd full.omp1 1 - --config configs/pusht.yaml --steps $F_STEPS --warmup $F_WARM
pt torch_full.t1 "$TORCH_UNET" dims=256,512,1024 batch=256 threads=1 trainSteps=$F_STEPS warm=1 inferRuns=1
sd full.omp1blas2 1 2 --config configs/pusht.yaml --steps $F_STEPS --warmup $F_WARM
pt torch_full.t2 "$TORCH_UNET" dims=256,512,1024 batch=256 threads=2 trainSteps=$F_STEPS warm=1 inferRuns=1
fi
# The image step is seconds (the ResNet-18 one ~15 s in SameDiff under load): few steps, one round, OMP 1 only.
IMG_CFG=configs/pusht_image-small.yaml
echo "== image DP, ResNet-18-GN + U-Net [64,128,256], batch 32"
sd img.omp1 1 - --config $IMG_CFG policy.obs_encoder=resnet18_gn --steps $I_STEPS --warmup $I_WARM
pt torch_img.t1 scripts/torch_image_dp.py encoder=resnet18_gn batch=32 threads=1 trainSteps=$I_STEPS warm=1
pt torch_img.t2 scripts/torch_image_dp.py encoder=resnet18_gn batch=32 threads=2 trainSteps=$I_STEPS warm=1
echo "== image DP, small conv encoder (64 features) + U-Net [64,128,256], batch 32"
sd imgsc.omp1 1 - --config $IMG_CFG --steps $((I_STEPS + 2)) --warmup $((I_WARM + 2))
pt torch_imgsc.t1 scripts/torch_image_dp.py encoder=small_conv feature=64 batch=32 threads=1 trainSteps=$((I_STEPS + 2)) warm=1
pt torch_imgsc.t2 scripts/torch_image_dp.py encoder=small_conv feature=64 batch=32 threads=2 trainSteps=$((I_STEPS + 2)) warm=1
echo "== $(date -u +%H:%M:%S) end, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$MODE" != image ]; then
  summary "small U-Net" small torch_small
  summary "full U-Net" full torch_full
  summary "predictor" pred torch_pred
fi
summary "image DP R18" img torch_img
summary "image DP sc" imgsc torch_imgsc
rm -f "$LOG"
