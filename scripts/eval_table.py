#!/usr/bin/env python3
"""Summarises `step eval` folders (their results.json) as one Markdown table: per method the mean score over all
episodes of all folders, each folder's mean, the spread of those means (max - min), the episode standard deviation,
success rate and latency p50; plus the stall-test figures when the evaluation recorded them.

  python3 scripts/eval_table.py DIR [DIR ...]        # e.g. one folder per seed set
Standard library only.
"""
import json, math, os, sys


def load(d):
    with open(os.path.join(d, "results.json")) as f:
        return {r["method"]: r for r in json.load(f)}


def main(dirs):
    runs = [load(d) for d in dirs]
    methods = [m for m in runs[0] if all(m in r for r in runs)]
    head = "| method | mean score (all {} episodes) | ".format(sum(runs[0][methods[0]]["episodes"] for _ in runs) if methods else 0)
    head += " | ".join("set {}".format(i + 1) for i in range(len(runs)))
    head += " | spread of set means | episode s.d. | success | latency p50 (ms) | stall test fired / tested |"
    print(head)
    print("|" + "---|" * (len(runs) + 7))
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
        print("| {} | **{:.3f}** | {} | {:.3f} | {:.3f} | {:.2f} | {:.1f} | {} |".format(
            m, mean, " | ".join("{:.3f}".format(x) for x in means), max(means) - min(means), sd, succ, lat, stall))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
