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
"""
import argparse
import hashlib
import importlib
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

    def act(self, session_id, observations, observation_time_ns=None, full_horizon=False, allow_history_gap=False):
        """observations: those taken since the previous call, oldest first, one per control period (at least the To
        newest; after open/reset one is enough); observation_time_ns: when the newest was taken (required with fewer
        than To observations). allow_history_gap accepts a stale history instead of INVALID_ARGUMENT."""
        req = pb.ActRequest(session_id=session_id, full_horizon=full_horizon, allow_history_gap=allow_history_gap)
        if observation_time_ns is not None:
            req.observation_time_ns = observation_time_ns
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
