package org.steppolicy.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Offline figures (tasks without a simulator): action MSE against the valid demos, and latency. */
public final class OfflineReport {
    private OfflineReport() {}

    public static String markdown(List<OfflineResult> results) {
        StringBuilder sb = new StringBuilder("| method | steps | episodes | windows | action MSE (chunk) | action MSE (executed) | latency p50 (ms) | latency p95 (ms) |\n|---|---|---|---|---|---|---|---|\n");
        for (OfflineResult r : results)
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.5f | %.5f | %.2f | %.2f |%n", r.method(), r.steps(), r.episodes(),
                    r.windows(), r.mseChunk(), r.mseExecuted(), r.latency().medianMs(), r.latency().p95Ms()));
        return sb.toString();
    }

    public static void write(List<OfflineResult> results, Path dir) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode arr = json.createArrayNode();
        for (OfflineResult r : results) {
            ObjectNode o = arr.addObject();
            o.put("method", r.method());
            o.put("steps", r.steps());
            o.put("episodes", r.episodes());
            o.put("windows", r.windows());
            o.put("action_mse_chunk", r.mseChunk());
            o.put("action_mse_executed", r.mseExecuted());
            o.put("latency_ms_median", r.latency().medianMs());
            o.put("latency_ms_p95", r.latency().p95Ms());
        }
        try {
            EvalReport.writeAtomically(dir.resolve(EvalReport.RESULTS_JSON), json.writeValueAsString(arr));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EvalReport.writeAtomically(dir.resolve("results.md"), markdown(results));
    }
}
