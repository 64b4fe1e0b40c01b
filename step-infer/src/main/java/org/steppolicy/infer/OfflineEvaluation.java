package org.steppolicy.infer;

import java.util.List;

/**
 * Replays demonstration windows through a runner, episode by episode in call order, and scores each chunk against the
 * demonstrated actions (step/temporal need their cache, so windows are never shuffled).
 */
public final class OfflineEvaluation {
    private OfflineEvaluation() {}

    /** Episode e is run after reset(seed + e), so every method sees the same seeds. */
    public static OfflineResult evaluate(PolicyRunner runner, List<List<OfflineWindow>> episodes, long seed) {
        PolicyShape shape = runner.models().shape();
        Normalization act = runner.models().normalization().action();
        int h = shape.horizon(), da = shape.actionDim();
        int first = shape.firstExecuted(), last = first + shape.actionSteps();
        float[] chunk = new float[h * da];
        double sumChunk = 0, sumExec = 0;
        int windows = 0;
        runner.clearLatencies();
        for (int e = 0; e < episodes.size(); e++) {
            runner.reset(seed + e);
            for (OfflineWindow w : episodes.get(e)) {
                runner.act(w.obsHistory());
                runner.lastChunk(chunk);
                double chunkErr = 0, execErr = 0;
                for (int i = 0; i < h; i++)
                    for (int a = 0; a < da; a++) {
                        double d = chunk[i * da + a] - act.normalize(a, w.targetActions()[i][a]);
                        chunkErr += d * d;
                        if (i >= first && i < last) execErr += d * d;
                    }
                sumChunk += chunkErr / (h * da);
                sumExec += execErr / (shape.actionSteps() * da);
                windows++;
            }
        }
        MethodConfig m = runner.method();
        return new OfflineResult(m.label(), m.steps(), episodes.size(), windows,
                windows == 0 ? Double.NaN : sumChunk / windows, windows == 0 ? Double.NaN : sumExec / windows,
                LatencySummary.of(runner.latencies()));
    }
}
