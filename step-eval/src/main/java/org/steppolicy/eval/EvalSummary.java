package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * What an evaluation produced: closed-loop results (tasks with a simulator) or offline ones (the others; the other
 * list is empty), and the folder holding results.json, results.md, the plot and the GIFs; {@code compare} is the
 * method the closed-loop results are compared against, pair by pair (null for none).
 */
public record EvalSummary(Path out, List<MethodResult> closedLoop, List<OfflineResult> offline, String compare) {
    public EvalSummary {
        closedLoop = List.copyOf(closedLoop);
        offline = List.copyOf(offline);
    }

    /** The paired differences of the closed-loop results against {@code compare} (none without it). */
    public List<PairedComparison> comparisons() {
        return compare == null ? List.of() : PairedComparison.against(compare, closedLoop);
    }

    /** The Markdown table of whichever results there are (closed loop: with the paired differences). */
    public String table() {
        return offline.isEmpty() ? EvalReport.markdown(closedLoop, compare) : OfflineReport.markdown(offline);
    }
}
