#!/usr/bin/env python3
"""A Python client of `step serve` (step-serve/src/main/proto/step_serve.proto).

Needs only Debian packages: python3-grpcio, python3-protobuf and protobuf-compiler (protoc):

    apt-get install python3-grpcio python3-protobuf protobuf-compiler

Debian has no usable grpcio-tools (python3-grpc-tools is 1.14, from 2018), so the message classes are generated here at
run time by `protoc --python_out` from the repository's .proto (cached under $TMPDIR, keyed by the file's hash), and the
RPCs are made with grpc's generic unary calls, which need no generated service stubs.

    /usr/bin/python3 scripts/serve_client.py --server 127.0.0.1:50051 --steps 5 [--token-file F] [--method step:2]

As a library:

    from serve_client import PolicyClient
    with PolicyClient("127.0.0.1:50051") as c:
        session = c.open_session(method="step:2", seed=0)
        # Every Ta control periods: the observations taken since the previous call (one per period, oldest first,
        # at least the To newest), and the time the newest was taken. The newest alone is refused (INVALID_ARGUMENT):
        # it would leave the server's To-step history stale.
        reply = c.act(session, observations_since_last_call, observation_time_ns=time_of_newest_ns)
        for a in reply.actions:           # the Ta actions to execute, in order
            send(list(a.values), at=a.time_ns)

An action stream, so that the robot never idles while the next chunk is computed (ActionStream below; the same class
as step-serve's Java ActionStream): call tick() once per control period with the observation just taken and apply the
action it returns. Asynchronous, it asks for the next chunk on a background thread when at most `lead` actions remain
(the measured wait of recent replies in control periods, plus a margin), sends the observations since the previous
request with their time and the number of the previous chunk's actions that came due (STEP shifts that chunk by it for
its warm start), and switches to the reply at the action whose time has come, dropping the stale ones. Synchronous
(for comparison), it asks when the chunk is used up and holds the last action until the reply comes.

        from serve_client import PolicyClient, ActionStream
        with PolicyClient("127.0.0.1:50051") as c:
            session = c.open_session(method="step:2", control_period_ns=period_ns)
            stream = ActionStream(ActionStream.server_source(c, session), period_ns, obs_steps=2, mode="async")
            while running:
                now = wait_for_next_tick()                     # any clock, in ns, one call per control period
                a = stream.tick(now, robot.observe())          # None until the first chunk arrives
                if a is not None:
                    robot.send(a)
            stream.close()
"""
import argparse
import collections
import concurrent.futures
import hashlib
import importlib
import math
import os
import random
import subprocess
import sys
import tempfile
import time

import grpc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTO = os.path.join(ROOT, "step-serve", "src", "main", "proto", "step_serve.proto")
SERVICE = "/step.serve.v1.PolicyService/"

# The standard gRPC health service's messages (grpc/health/v1/health.proto); Debian's grpcio ships no health module.
HEALTH_PROTO = """syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
"""


def load_messages(proto=PROTO):
    """Generates (once) and imports step_serve_pb2 and health_pb2 with the system's protoc."""
    with open(proto, "rb") as f:
        digest = hashlib.sha256(f.read() + HEALTH_PROTO.encode()).hexdigest()[:16]
    out = os.path.join(tempfile.gettempdir(), "step-serve-py-" + digest)
    if not os.path.exists(os.path.join(out, "step_serve_pb2.py")):
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "health.proto"), "w") as f:
            f.write(HEALTH_PROTO)
        try:
            subprocess.run(["protoc", "-I", os.path.dirname(proto), "-I", out, "--python_out", out,
                            os.path.basename(proto), "health.proto"], check=True)
        except FileNotFoundError:
            sys.exit("serve_client.py needs protoc: apt-get install protobuf-compiler")
    sys.path.insert(0, out)
    return importlib.import_module("step_serve_pb2"), importlib.import_module("health_pb2")


pb, health_pb = load_messages()


class PolicyClient:
    """The PolicyService RPCs over one channel. Errors raise grpc.RpcError (e.code(), e.details())."""

    def __init__(self, target, token=None, timeout=60.0, root_certificates=None):
        # Straight to the server: never through an http_proxy from the environment.
        options = [("grpc.enable_http_proxy", 0)]
        if root_certificates is None:
            self.channel = grpc.insecure_channel(target, options=options)
        else:
            self.channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates), options=options)
        self.metadata = [("authorization", "Bearer " + token)] if token else None
        self.timeout = timeout
        self._calls = {}

    def _call(self, name, request, response_type, path=None):
        rpc = self._calls.get(name)
        if rpc is None:
            rpc = self.channel.unary_unary(path or SERVICE + name,
                                           request_serializer=type(request).SerializeToString,
                                           response_deserializer=response_type.FromString)
            self._calls[name] = rpc
        return rpc(request, timeout=self.timeout, metadata=self.metadata)

    def info(self):
        return self._call("Info", pb.InfoRequest(), pb.InfoResponse)

    def health(self, service="step.serve.v1.PolicyService"):
        r = self._call("Check", health_pb.HealthCheckRequest(service=service), health_pb.HealthCheckResponse,
                       path="/grpc.health.v1.Health/Check")
        return health_pb.HealthCheckResponse.ServingStatus.Name(r.status)

    def open_session(self, method="", control_period_ns=0, seed=None):
        req = pb.OpenSessionRequest(method=method, control_period_ns=control_period_ns)
        if seed is not None:
            req.seed = seed
        return self._call("OpenSession", req, pb.OpenSessionResponse).session_id

    def act(self, session_id, observations, observation_time_ns=None, full_horizon=False, allow_history_gap=False,
            executed_actions=None):
        """observations: those taken since the previous call, oldest first, one per control period (at least the To
        newest; after open/reset one is enough); observation_time_ns: when the newest was taken (required with fewer
        than To observations). allow_history_gap accepts a stale history instead of INVALID_ARGUMENT.
        executed_actions: how many of the previous reply's actions had come due when the newest observation was taken
        (STEP shifts the previous chunk by it); None lets the server derive it from the times (else Ta)."""
        req = pb.ActRequest(session_id=session_id, full_horizon=full_horizon, allow_history_gap=allow_history_gap)
        if observation_time_ns is not None:
            req.observation_time_ns = observation_time_ns
        if executed_actions:
            req.executed_actions = executed_actions
        for o in observations:
            req.observations.add().values.extend(float(v) for v in o)
        return self._call("Act", req, pb.ActResponse)

    def reset(self, session_id, seed=None):
        req = pb.ResetRequest(session_id=session_id)
        if seed is not None:
            req.seed = seed
        self._call("Reset", req, pb.ResetResponse)

    def close_session(self, session_id):
        self._call("Close", pb.CloseRequest(session_id=session_id), pb.CloseResponse)

    def close(self):
        self.channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _round(x):
    """Half up, as Java's Math.round (Python's round() rounds half to even)."""
    return int(math.floor(x + 0.5))


class ActionStream:
    """A robot's action stream over a chunk source (see the module docstring; step-serve's Java ActionStream).

    source(observations, time_ns, executed) -> concurrent.futures.Future of the Ta actions (lists of floats), action j
    meant for time_ns + j * period: observations are those since the previous request (at most obs_steps, newest last,
    the newest taken at time_ns); executed is the number of the previous chunk's actions that had come due (0 for an
    episode's first request). ActionStream.server_source(client, session) makes one over the policy server.

    tick(now_ns, observation) returns the action to apply until the next tick: the last one again on an idle tick, None
    before the first chunk. idle_ticks counts ticks after the first chunk with nothing to execute (0 when asynchronous
    and the latency is within the lead), startup_ticks those before it. Not thread-safe: one control loop."""
    SYNC, ASYNC = "sync", "async"
    LATENCY_WINDOW = 4

    def __init__(self, source, period_ns, obs_steps=2, mode="async", margin=1):
        if mode not in (self.SYNC, self.ASYNC):
            raise ValueError("mode must be 'sync' or 'async', got %r" % (mode,))
        if period_ns <= 0 or obs_steps < 1 or margin < 0:
            raise ValueError("period %r, obs_steps %r, margin %r" % (period_ns, obs_steps, margin))
        self.source, self.period, self.obs_steps, self.mode, self.margin = source, period_ns, obs_steps, mode, margin
        self.waits = collections.deque(maxlen=self.LATENCY_WINDOW)
        self.ticks = self.idle_ticks = self.startup_ticks = self.requests = self.dropped = 0
        self.executor = None
        self.reset()

    @staticmethod
    def server_source(client, session_id):
        """Chunks from a server session, each Act on one background thread (shut down by ActionStream.close)."""
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="action-stream")

        def request(observations, time_ns, executed):
            return pool.submit(lambda: [list(a.values) for a in client.act(
                session_id, observations, observation_time_ns=time_ns, executed_actions=executed or None).actions])
        request.executor = pool
        return request

    def reset(self):
        """A new episode (after the session's own reset): forgets the chunk, the observations and a request in flight;
        keeps the measured waits."""
        if getattr(self, "in_flight", None) is not None:
            self.in_flight.cancel()
        self.in_flight = None
        self.since = collections.deque(maxlen=self.obs_steps)
        self.actions, self.next, self.first_time, self.started, self.last = [], 0, 0, False, None
        self.request_time = 0

    def lead(self):
        """Actions that may remain when the next chunk is asked for: the longest recent wait in periods + margin."""
        return max(self.waits, default=0) + self.margin

    def tick(self, now_ns, observation):
        self.ticks += 1
        self.since.append(list(observation))
        self._poll(now_ns)
        if self.in_flight is None and self._remaining(now_ns) <= (self.lead() if self.mode == self.ASYNC else 0):
            executed = max(1, _round((now_ns - self.first_time) / self.period)) if self.started else 0
            self.requests += 1
            self.request_time = now_ns
            self.in_flight = self.source(list(self.since), now_ns, executed)
            self.since.clear()
            self._poll(now_ns)
        self._skip_stale(now_ns)
        if self.next < len(self.actions):
            self.last = self.actions[self.next]
            self.next += 1
            return self.last
        if self.started:
            self.idle_ticks += 1
        else:
            self.startup_ticks += 1
        return self.last

    def _poll(self, now_ns):
        if self.in_flight is None or not self.in_flight.done():
            return
        f, self.in_flight = self.in_flight, None
        chunk = f.result()  # a failed request raises here; the next tick asks again
        self.waits.append(max(0, _round((now_ns - self.request_time) / self.period)))
        self.actions, self.next, self.started = chunk, 0, True
        # Asynchronous: action j is meant for the request's time + j periods. Synchronous: executed from now on.
        self.first_time = self.request_time if self.mode == self.ASYNC else now_ns

    def _skip_stale(self, now_ns):
        while self.next < len(self.actions) and self.first_time + self.next * self.period < now_ns - self.period // 2:
            self.next += 1
            self.dropped += 1

    def _remaining(self, now_ns):
        self._skip_stale(now_ns)
        return len(self.actions) - self.next

    def close(self):
        if self.in_flight is not None:
            self.in_flight.cancel()
        pool = getattr(self.source, "executor", None)
        if pool is not None:
            pool.shutdown(wait=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", default="127.0.0.1:50051")
    ap.add_argument("--token-file")
    ap.add_argument("--method", default="")
    ap.add_argument("--steps", type=int, default=5)
    args = ap.parse_args()
    token = open(args.token_file).readline().strip() if args.token_file else None

    with PolicyClient(args.server, token) as c:
        info = c.info()
        print("health:", c.health())
        print("info: obs_dim %d, action_dim %d, To %d, Ta %d, horizon %d, methods %s, default %s"
              % (info.obs_dim, info.action_dim, info.obs_steps, info.action_steps, info.horizon,
                 list(info.methods), info.default_method))
        period = 100_000_000
        sid = c.open_session(method=args.method, seed=0, control_period_ns=period)
        rng = random.Random(0)
        first = None
        for step in range(args.steps):
            # The Ta observations of the periods since the previous call (one at the first call), newest last.
            since = [[rng.uniform(0, 512) for _ in range(info.obs_dim)] for _ in range(1 if step == 0 else info.action_steps)]
            obs = since[-1]
            t0 = time.monotonic_ns()
            r = c.act(sid, since, observation_time_ns=step * info.action_steps * period, full_horizon=(step == 0))
            rtt = (time.monotonic_ns() - t0) / 1e6
            if step == 0:
                first = (obs, [list(a.values) for a in r.actions])
                assert len(r.horizon) == info.horizon, len(r.horizon)
            assert len(r.actions) == info.action_steps and all(len(a.values) == info.action_dim for a in r.actions)
            assert r.actions[1].time_ns - r.actions[0].time_ns > 0
            print("act %d: chunk %d, %d actions, first %s, round trip %.2f ms, server compute %.2f ms, queued %.2f ms,"
                  " cold %s, perturbed %s" % (step, r.chunk_index, len(r.actions), [round(v, 2) for v in r.actions[0].values],
                                             rtt, r.compute_ns / 1e6, r.queued_ns / 1e6, r.cold_start, r.perturbation_fired))
        # Same seed, same first observation: the same first chunk.
        c.reset(sid, seed=0)
        again = [list(a.values) for a in c.act(sid, [first[0]], observation_time_ns=0).actions]
        assert again == first[1], "reset with the same seed must repeat the first chunk"
        print("reset: the same seed repeats the first chunk")
        # A bad request is refused with a message, and the session still works.
        try:
            c.act(sid, [[0.0] * (info.obs_dim - 1)])
            raise AssertionError("a wrong-size observation was accepted")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, e.code()
            print("bad observation:", e.code().name, "-", e.details())
        # The newest observation alone, Ta periods after the previous call, would leave the history stale: refused.
        try:
            c.act(sid, [first[0]], observation_time_ns=info.action_steps * period)
            raise AssertionError("a request that leaves a gap in the history was accepted")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, e.code()
            print("history gap:", e.code().name, "-", e.details())
        c.act(sid, [first[0]] * info.obs_steps, observation_time_ns=info.action_steps * period)
        c.close_session(sid)
        try:
            c.act(sid, [first[0]])
            raise AssertionError("a closed session answered")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.NOT_FOUND, e.code()
            print("closed session:", e.code().name, "-", e.details())
    print("python client: OK")


if __name__ == "__main__":
    main()
