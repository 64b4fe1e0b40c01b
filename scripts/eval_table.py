#!/usr/bin/env python3
"""Summarises `step eval` folders (their results.json) as one Markdown table: per method the mean score over all
episodes of all folders with its 95 % bootstrap interval over those episodes (the one `step eval` prints: the same
resamples from the same java.util.Random seed, so one folder gives exactly its results.md interval), each folder's mean, the spread of those means (max - min), the episode standard deviation,
success rate and latency p50; plus the stall-test figures when the evaluation recorded them.

  python3 scripts/eval_table.py DIR [DIR ...]        # e.g. one folder per seed set
Standard library only.
"""
import json, math, os, sys

# BootstrapInterval (step-eval): 10,000 resamples, 95 %, java.util.Random seeded with this.
RESAMPLES, LEVEL, SEED = 10000, 0.95, 20240607
MASK = (1 << 48) - 1


class JavaRandom:
    """java.util.Random's 48-bit generator and nextInt(bound), as the Java specification fixes them."""

    def __init__(self, seed):
        self.s = (seed ^ 0x5DEECE66D) & MASK

    def next31(self):
        self.s = (self.s * 0x5DEECE66D + 0xB) & MASK
        return self.s >> 17

    def next_int(self, bound):
        r, m = self.next31(), bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if u - r + m < (1 << 31):  # Java's int overflow test: redraw from the incomplete last block
                return r
            u = self.next31()


def percentile(xs, q):
    pos = q * (len(xs) - 1)
    i = int(math.floor(pos))
    return xs[-1] if i >= len(xs) - 1 else xs[i] + (pos - i) * (xs[i + 1] - xs[i])


def bootstrap(values, resamples=RESAMPLES, seed=SEED):
    """(lo, hi): the percentile-bootstrap interval of the mean of values, as BootstrapInterval computes it."""
    n = len(values)
    if n == 0:
        return float("nan"), float("nan")
    rng, means = JavaRandom(seed), []
    for _ in range(resamples):
        s = 0.0
        for _ in range(n):
            s += values[rng.next_int(n)]
        means.append(s / n)
    means.sort()
    tail = (1 - LEVEL) / 2
    return percentile(means, tail), percentile(means, 1 - tail)


def load(d):
    with open(os.path.join(d, "results.json")) as f:
        return {r["method"]: r for r in json.load(f)}


def main(dirs):
    runs = [load(d) for d in dirs]
    methods = [m for m in runs[0] if all(m in r for r in runs)]
    head = "| method | mean score (all {} episodes) | 95 % interval | ".format(sum(runs[0][methods[0]]["episodes"] for _ in runs) if methods else 0)
    head += " | ".join("set {}".format(i + 1) for i in range(len(runs)))
    head += " | spread of set means | episode s.d. | success | latency p50 (ms) | stall test fired / tested |"
    print(head)
    print("|" + "---|" * (len(runs) + 8))
    for m in methods:
        rs = [r[m] for r in runs]
        scores = [s for r in rs for s in r["episode_scores"]]
        mean = sum(scores) / len(scores)
        sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / (len(scores) - 1)) if len(scores) > 1 else float("nan")
        means = [r["mean_score"] for r in rs]
        succ = sum(r["success_rate"] * r["episodes"] for r in rs) / sum(r["episodes"] for r in rs)
        lat = sorted(r["latency_ms_median"] for r in rs)[len(rs) // 2]
        st = [r.get("stall_test") for r in rs]
        stall = "{} / {}".format(sum(s["fired"] for s in st), sum(s["tested_calls"] for s in st)) if all(st) else "-"
        lo, hi = bootstrap(scores)
        print("| {} | **{:.3f}** | [{:.3f}, {:.3f}] | {} | {:.3f} | {:.3f} | {:.2f} | {:.1f} | {} |".format(
            m, mean, lo, hi, " | ".join("{:.3f}".format(x) for x in means), max(means) - min(means), sd, succ, lat, stall))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
