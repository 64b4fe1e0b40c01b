#!/usr/bin/env bash
# Starts `step serve` on a tiny random-weight model on 127.0.0.1 (a free port, a token), drives a few Act steps from
# Python (scripts/serve_client.py on Debian's python3-grpcio), then stops the server with SIGTERM and checks that it
# drained and exited 0.
#   needs: apt-get install python3-grpcio python3-protobuf protobuf-compiler
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY=/usr/bin/python3   # Debian's interpreter, where python3-grpcio lives (not a pyenv/venv python)
"$PY" -c 'import grpc, google.protobuf' 2>/dev/null || { echo "needs: apt-get install python3-grpcio python3-protobuf" >&2; exit 1; }
command -v protoc >/dev/null || { echo "needs: apt-get install protobuf-compiler" >&2; exit 1; }

WORK="$(mktemp -d)"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then kill -TERM "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/token"
LOG="$WORK/serve.log"

./step serve --random-weights --config configs/pusht-small.yaml policy.down_dims=[16,32] policy.diffusion_step_embed_dim=16 \
  predictor.d_model=32 predictor.dim_feedforward=64 --methods ddim:2 --host 127.0.0.1 --port 0 --token-file "$WORK/token" \
  --max-sessions 4 --idle-timeout 1m >"$LOG" 2>&1 &
SERVER=$!

# ./step may build first: allow a few minutes for the "step serve: ... on 127.0.0.1:PORT" line.
PORT=""
for _ in $(seq 1 600); do
  PORT="$(sed -n 's/.*step serve: .* on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$LOG")"
  [ -n "$PORT" ] && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&2; echo "serve-python-check: the server did not start" >&2; exit 1; }
  sleep 0.5
done
[ -n "$PORT" ] || { cat "$LOG" >&2; echo "serve-python-check: no listening line" >&2; exit 1; }
grep -o 'step serve:.*' "$LOG" || true

"$PY" scripts/serve_client.py --server "127.0.0.1:$PORT" --token-file "$WORK/token" --steps 5
# Without the token the server refuses.
"$PY" - "$PORT" <<'PYEOF'
import sys, grpc
sys.path.insert(0, "scripts")
from serve_client import PolicyClient
with PolicyClient("127.0.0.1:" + sys.argv[1]) as c:
    try:
        c.info()
        sys.exit("the server answered without a token")
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.UNAUTHENTICATED, e.code()
        print("no token:", e.code().name, "-", e.details())
PYEOF
# The action stream against the server, in real time (50 ms periods, 40 ticks): actions every tick once running.
"$PY" - "$PORT" "$WORK/token" <<'PYEOF'
import sys, time
sys.path.insert(0, "scripts")
from serve_client import PolicyClient, ActionStream
period = 50_000_000
with PolicyClient("127.0.0.1:" + sys.argv[1], open(sys.argv[2]).readline().strip()) as c:
    sid = c.open_session(seed=0, control_period_ns=period)
    stream = ActionStream(ActionStream.server_source(c, sid), period, obs_steps=c.info().obs_steps, mode="async")
    t0 = time.monotonic_ns()
    for k in range(40):
        now = t0 + k * period
        time.sleep(max(0, now - time.monotonic_ns()) / 1e9)
        a = stream.tick(now, [100.0 + k] * c.info().obs_dim)
        assert a is None or len(a) == c.info().action_dim
    stream.close()
    assert stream.requests >= 4, stream.requests
    print("action stream: %d ticks, %d requests, lead %d, startup %d, idle %d, stale dropped %d"
          % (stream.ticks, stream.requests, stream.lead(), stream.startup_ticks, stream.idle_ticks, stream.dropped))
    c.close_session(sid)
PYEOF
/usr/bin/python3 scripts/test_action_stream.py

kill -TERM "$SERVER"
set +e
wait "$SERVER"
RC=$?
set -e
SERVER=""
grep -E '^(draining|stopped)' "$LOG" || true
[ "$RC" -eq 0 ] || { cat "$LOG" >&2; echo "serve-python-check: the server exited $RC after SIGTERM" >&2; exit 1; }
grep -q '^stopped' "$LOG" || { cat "$LOG" >&2; echo "serve-python-check: no drain message" >&2; exit 1; }
echo "serve-python-check: OK (Python client on 127.0.0.1:$PORT, SIGTERM -> drained, exit 0)"
