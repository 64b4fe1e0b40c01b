package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * An evaluation stopped on request (Ctrl-C, SIGTERM) after the episodes running then finished: the folder holds the
 * results so far, partial ones marked; the CLI prints the message (what was written, how to finish) and exits 130.
 */
public final class EvalInterrupted extends RuntimeException {
    private final transient List<MethodResult> written;

    EvalInterrupted(String message, List<MethodResult> written) {
        super(message);
        this.written = List.copyOf(written);
    }

    /** The methods in results.json when it stopped (the last one possibly partial). */
    public List<MethodResult> written() { return written; }

    /** After {@code results} of {@code methods} methods were written to {@code dir}; {@code compare}: null for none. */
    static EvalInterrupted of(Path dir, String compare, int methods, List<MethodResult> results) {
        String finish = "finish it with: step eval --resume " + dir + (compare == null ? "" : " --compare " + compare);
        if (results.isEmpty())
            return new EvalInterrupted("interrupted before any episode finished: " + dir + " holds only config.yaml; " + finish, results);
        long complete = results.stream().filter(MethodResult::complete).count();
        MethodResult last = results.get(results.size() - 1);
        String partial = last.complete() ? "" : ", " + last.method() + " partial (" + last.episodes() + " of " + last.episodesPlanned() + " episodes)";
        int missing = methods - results.size();
        return new EvalInterrupted("interrupted: wrote results.json, results.md and score_vs_latency.png to " + dir + " with "
                + complete + " complete method" + (complete == 1 ? "" : "s") + partial
                + (missing > 0 ? ", " + missing + " not started" : "") + "; " + finish, results);
    }
}
