#!/usr/bin/env python3
"""Summarises `step eval` folders (their results.json) as one Markdown table: per method the mean score over all
episodes of all folders with its 95 % bootstrap interval over those episodes (the one `step eval` prints: the same
resamples from the same java.util.Random seed, so one folder gives exactly its results.md interval), each folder's mean, the spread of those means (max - min), the episode standard deviation,
success rate and latency p50; plus the stall-test figures when the evaluation recorded them.

  python3 scripts/eval_table.py DIR [DIR ...] [--compare step:2]   # e.g. one folder per seed set
A method missing from some folders is summarised over the folders that have it. --compare adds, for every other
method, the paired difference over the episodes both ran (same folder and seed), pooled over the folders.
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


def main(dirs, compare=None):
    runs = [load(d) for d in dirs]
    methods = []
    for r in runs:  # every method of any folder, in first-seen order; a set without it shows "-"
        methods += [m for m in r if m not in methods]
    head = "| method | mean score (its episodes, all sets) | 95 % interval | episodes | "
    head += " | ".join("set {}".format(i + 1) for i in range(len(runs)))
    head += " | spread of set means | episode s.d. | success | latency p50 (ms) | stall test fired / tested |"
    print(head)
    print("|" + "---|" * (len(runs) + 9))
    for m in methods:
        rs = [r[m] for r in runs if m in r]
        scores = [s for r in rs for s in r["episode_scores"]]
        mean = sum(scores) / len(scores)
        sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / (len(scores) - 1)) if len(scores) > 1 else float("nan")
        means = [r["mean_score"] for r in rs]
        succ = sum(r["success_rate"] * r["episodes"] for r in rs) / sum(r["episodes"] for r in rs)
        lat = sorted(r["latency_ms_median"] for r in rs)[len(rs) // 2]
        st = [r.get("stall_test") for r in rs]
        stall = "{} / {}".format(sum(s["fired"] for s in st), sum(s["tested_calls"] for s in st)) if all(st) else "-"
        lo, hi = bootstrap(scores)
        sets = " | ".join("{:.3f}".format(r[m]["mean_score"]) if m in r else "-" for r in runs)
        print("| {} | **{:.3f}** | [{:.3f}, {:.3f}] | {} | {} | {:.3f} | {:.3f} | {:.2f} | {:.1f} | {} |".format(
            m, mean, lo, hi, len(scores), sets, max(means) - min(means), sd, succ, lat, stall))
    if compare:
        paired(runs, methods, compare)


def by_seed(run, m):
    r = run[m]
    seeds = r.get("episode_seeds")
    if seeds is None:
        sys.exit("results.json of method {} has no episode_seeds (written by a step eval before paired statistics)".format(m))
    return dict(zip(seeds, r["episode_scores"]))


def paired(runs, methods, ref):
    """Paired differences ref - method over the episodes both ran (same folder, same seed), pooled over the folders."""
    if not any(ref in r for r in runs):
        sys.exit("--compare {}: not among the methods ({})".format(ref, ", ".join(methods)))
    print()
    print("Paired differences against {} (same seed sets and episode seeds; 95 % bootstrap interval over the paired "
          "episodes; * the interval excludes 0):".format(ref))
    print()
    print("| comparison | paired episodes | difference [95 % interval] | excludes 0 |")
    print("|---|---|---|---|")
    for m in methods:
        if m == ref:
            continue
        diffs = []
        for r in runs:
            if ref in r and m in r:
                a, b = by_seed(r, ref), by_seed(r, m)
                diffs += [a[k] - b[k] for k in a if k in b]
        if not diffs:
            continue
        d = sum(diffs) / len(diffs)
        lo, hi = bootstrap(diffs)
        ex = lo > 0 or hi < 0
        print("| {} - {} | {} | {:+.3f} [{:+.3f}, {:+.3f}] | {} |".format(ref, m, len(diffs), d, lo, hi, "yes *" if ex else "no"))


if __name__ == "__main__":
    args = sys.argv[1:]
    ref = None
    if "--compare" in args:
        i = args.index("--compare")
        if i + 1 >= len(args):
            sys.exit("--compare needs a method, e.g. --compare step:2")
        ref = args[i + 1].lower()
        del args[i:i + 2]
    if not args:
        sys.exit(__doc__)
    main(args, ref)
