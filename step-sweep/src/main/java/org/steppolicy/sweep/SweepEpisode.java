package org.steppolicy.sweep;

import org.steppolicy.infer.LatencySummary;

/** One row of results.csv: an episode of a cell, with the cell's policy, method and overrides spelled out. */
public record SweepEpisode(int cell, String label, String policy, String method, String overrides, int block, long seed,
                           double score, boolean success, int envSteps, LatencySummary latency) {

    static final String HEADER = "cell,label,policy,method,overrides,seed_block,seed,score,success,env_steps,calls,cold_start_calls,"
            + "latency_ms_median,latency_ms_p95,latency_ms_mean_all_calls";

    String csv() {
        return String.join(",", String.valueOf(cell), quote(label), quote(policy), quote(method), quote(overrides), String.valueOf(block),
                String.valueOf(seed), String.valueOf(score), String.valueOf(success), String.valueOf(envSteps),
                String.valueOf(latency.calls()), String.valueOf(latency.coldCalls()), String.valueOf(latency.medianMs()),
                String.valueOf(latency.p95Ms()), String.valueOf(latency.meanAllMs()));
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String quote(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
