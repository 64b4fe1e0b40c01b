#!/usr/bin/env python3
"""Checks serve_client.ActionStream in a simulated clock (no server): the replies of a fake source arrive L ticks after
the request. Asynchronous: no idle tick for L <= Ta / 2, each tick executes the action meant for it (stale ones
dropped), every request tells executed = Ta - L. Synchronous: L idle ticks per call, executed = Ta.

    /usr/bin/python3 scripts/test_action_stream.py      (needs what serve_client.py needs: python3-grpcio, protoc)
"""
import concurrent.futures
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_client import ActionStream  # noqa: E402

P, TA = 1000, 8


class DelayedSource:
    def __init__(self, latency):
        self.latency, self.now, self.requests, self.pending = latency, 0, [], []

    def advance_to(self, tick):
        self.now = tick
        for due, f, chunk in list(self.pending):
            if due <= tick:
                f.set_result(chunk)
                self.pending.remove((due, f, chunk))

    def __call__(self, observations, time_ns, executed):
        assert time_ns == self.now * P and observations[-1][0] == self.now
        i = len(self.requests)
        self.requests.append((self.now, executed, len(observations)))
        f = concurrent.futures.Future()
        self.pending.append((self.now + self.latency, f, [[self.now + j, i] for j in range(TA)]))
        self.advance_to(self.now)
        return f


def run(mode, latency, ticks):
    src = DelayedSource(latency)
    s = ActionStream(src, P, obs_steps=2, mode=mode, margin=0)
    got = []
    for t in range(ticks):
        src.advance_to(t)
        got.append(s.tick(t * P, [t]))
    return s, src, got


def main():
    for latency in (0, 1, 3, 4):
        s, src, got = run("async", latency, 200)
        assert s.startup_ticks == latency and s.idle_ticks == 0, (latency, s.startup_ticks, s.idle_ticks)
        assert all(got[t][0] == t for t in range(latency, 200)), latency
        for i in range(1, len(src.requests)):
            assert src.requests[i][0] - src.requests[i - 1][0] == TA - latency, (latency, src.requests)
            assert src.requests[i][1] == TA - latency and src.requests[i][2] == 2, (latency, src.requests[i])
        assert src.requests[0][1] == 0 and s.lead() == latency
    latency = 3
    s, src, got = run("sync", latency, 110)
    assert (s.startup_ticks, s.idle_ticks, s.requests, s.dropped) == (latency, 9 * latency, 10, 0), vars(s)
    for c, (tick, executed, _) in enumerate(src.requests):
        assert tick == c * (TA + latency) and executed == (TA if c else 0)
        assert [got[tick + latency + j] for j in range(TA)] == [[tick + j, c] for j in range(TA)]
    print("ActionStream (python): OK")


if __name__ == "__main__":
    main()
