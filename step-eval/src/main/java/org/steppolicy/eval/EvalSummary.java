package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.infer.OfflineResult;

/**
 * What an evaluation produced: closed-loop results (tasks with a simulator) or offline ones (the others; the other
 * list is empty), and the folder holding results.json, results.md, the plot and the GIFs.
 */
public record EvalSummary(Path out, List<MethodResult> closedLoop, List<OfflineResult> offline) {
    public EvalSummary {
        closedLoop = List.copyOf(closedLoop);
        offline = List.copyOf(offline);
    }

    /** The Markdown table of whichever results there are. */
    public String table() {
        return offline.isEmpty() ? EvalReport.markdown(closedLoop) : OfflineReport.markdown(offline);
    }
}
