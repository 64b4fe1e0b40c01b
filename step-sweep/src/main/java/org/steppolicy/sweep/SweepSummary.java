package org.steppolicy.sweep;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.eval.EvalReport;
import org.steppolicy.eval.MethodResult;

/**
 * What a sweep produced: one result per cell (labelled as in the table), every episode, the folder it wrote, the
 * Spark master it ran on and its wall time (Spark's start included).
 */
public record SweepSummary(Path out, List<MethodResult> cells, List<SweepEpisode> episodes, String master, double wallSeconds) {
    public SweepSummary {
        cells = List.copyOf(cells);
        episodes = List.copyOf(episodes);
    }

    /** The Markdown table: one row per cell, mean score with its 95 % bootstrap interval, success, latency. */
    public String table() {
        return EvalReport.markdown(cells);
    }
}
