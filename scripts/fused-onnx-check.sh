#!/usr/bin/env bash
# The cross-runtime check of step_policy.onnx (issue 25 item 4): export the fused file, let the Java engine write a few
# calls' inputs and outputs and its batch-1 latency, then run the file in Node's onnxruntime on the same inputs and
# noise, compare (1e-5) and time it. Python's onnxruntime has no wheel source on these machines; Node's package
# carries its CPU binary, so `npm install --ignore-scripts` is all it needs.
#
#   scripts/fused-onnx-check.sh [EXPORT_OR_DP_DIR (models/pusht-lowdim)] [METHOD (step:2)] [OUT (/tmp/step-fused-METHOD)]
#
# onnxruntime-node goes to $FUSED_NODE_DIR (default target/fused-node, ignored by git). Writes OUT (a full export
# folder with step_policy.onnx; never into models/) and OUT.check.json. Exit status: the Node check's.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${1:-models/pusht-lowdim}
METHOD=${2:-step:2}
OUT=${3:-/tmp/step-fused-${METHOD//:/-}}
NODE_DIR=${FUSED_NODE_DIR:-target/fused-node}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}

if [ ! -d "$NODE_DIR/node_modules/onnxruntime-node" ]; then
  mkdir -p "$NODE_DIR"
  [ -f "$NODE_DIR/package.json" ] || echo '{"name": "fused-onnx-check", "private": true}' > "$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --ignore-scripts --no-audit --no-fund onnxruntime-node)
fi

echo "load before: $(uptime)"
./step export-onnx --dp "$SRC" --fused "$METHOD" --out "$OUT" --force --fused-check "$OUT.check.json"
FUSED_NODE_DIR="$NODE_DIR" node scripts/fused_onnx_check.mjs "$OUT" "$OUT.check.json"
echo "load after: $(uptime)"
