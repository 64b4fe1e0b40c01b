package org.steppolicy.infer;

import org.steppolicy.data.LinearNormalizer;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.infer.policy.ModelSource;
import org.steppolicy.infer.policy.StepPolicy;

/**
 * Replays demonstration windows through a {@link StepPolicy}, episode by episode in call order, and scores each chunk
 * against the demonstrated actions in normalised units (step/temporal need their cache, so windows are never
 * shuffled).
 */
public final class OfflineEvaluation {
    private OfflineEvaluation() {}

    /** Episode e is run after reset(seed + e), so every method sees the same seeds. */
    public static OfflineResult evaluate(ModelSource models, MethodConfig method, List<List<OfflineWindow>> episodes, long seed) {
        try (StepPolicy policy = StepPolicy.open(models, method)) {
            var info = policy.info();
            LinearNormalizer act = policy.actionNormalization();
            int h = info.horizon(), da = info.actionDim();
            int first = info.obsSteps() - 1, last = first + info.actionSteps(); // the executed Ta start at To−1
            float[] chunk = new float[h * da];
            double sumChunk = 0, sumExec = 0;
            int windows = 0;
            List<CallLatency> calls = new ArrayList<>();
            for (int e = 0; e < episodes.size(); e++) {
                policy.reset(seed + e);
                for (OfflineWindow w : episodes.get(e)) {
                    policy.predictChunk(w.obsHistory());
                    calls.add(policy.lastLatency());
                    policy.lastNormalizedChunk(chunk);
                    double chunkErr = 0, execErr = 0;
                    for (int i = 0; i < h; i++)
                        for (int a = 0; a < da; a++) {
                            double d = chunk[i * da + a] - act.normalize(a, w.targetActions()[i][a]);
                            chunkErr += d * d;
                            if (i >= first && i < last) execErr += d * d;
                        }
                    sumChunk += chunkErr / (h * da);
                    sumExec += execErr / (info.actionSteps() * da);
                    windows++;
                }
            }
            return new OfflineResult(method.label(), method.steps(), episodes.size(), windows,
                    windows == 0 ? Double.NaN : sumChunk / windows, windows == 0 ? Double.NaN : sumExec / windows,
                    LatencySummary.of(calls));
        }
    }
}
