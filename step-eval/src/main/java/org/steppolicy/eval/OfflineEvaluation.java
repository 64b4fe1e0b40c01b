package org.steppolicy.eval;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DemoDataset;
import org.steppolicy.data.Episode;
import org.steppolicy.data.ImageCrop;
import org.steppolicy.data.ImageFrames;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.models.ImageObsSpec;

/**
 * Offline evaluation, for tasks without a simulator: each method's StepPolicy replays the valid demonstrations,
 * episode by episode in call order, and each chunk is scored against the demonstrated actions in normalised units
 * (step and temporal need their cache, so windows are never shuffled). Policies are opened as in the closed loop: one
 * per method, from the loaded policy's models.
 */
final class OfflineEvaluation {
    private OfflineEvaluation() {}

    /** Every method of {@code specs} over the valid demos of the config's dataset, one line each to {@code log}. */
    static List<OfflineResult> run(StepConfig c, PolicyBundle dp, Function<MethodConfig, StepPolicy> policies,
                                   InferenceSettings settings, List<MethodSpec> specs, long seed, PrintWriter log) {
        DemoDataset data = DemoDataset.load(c.task());
        List<List<OfflineWindow>> episodes = new ArrayList<>();
        var shape = new PolicyShape(c.task().nObsSteps(), c.task().nActionSteps(), c.task().horizon(),
                dp.shape().obsDim(), c.task().actionDim());
        for (Episode e : data.validEpisodes()) {
            float[][] obs = dp.hasImages() ? withFrames(c, e, dp.encoder().spec()) : e.obs();
            episodes.add(OfflineWindow.ofEpisode(obs, e.actions(), shape));
        }
        if (episodes.isEmpty()) throw new UserError(c.task().dataset() + ": no valid demos for the offline evaluation");
        List<OfflineResult> out = new ArrayList<>();
        for (MethodSpec m : specs) {
            OfflineResult r = evaluate(policies, m.config(settings), episodes, seed);
            log.printf("%-14s action MSE (chunk) %.5f  latency p50 %.2f ms%n", m.label(), r.mseChunk(), r.latency().medianMs());
            log.flush();
            out.add(r);
        }
        return out;
    }

    /** Episode e is run after reset(seed + e), so every method sees the same seeds. */
    static OfflineResult evaluate(Function<MethodConfig, StepPolicy> policies, MethodConfig method,
                                  List<List<OfflineWindow>> episodes, long seed) {
        try (StepPolicy policy = policies.apply(method)) {
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

    /** An image policy's raw observations of a recorded episode: the low-dim keys, then the centre-cropped frame. */
    static float[][] withFrames(StepConfig c, Episode e, ImageObsSpec spec) {
        if (!c.task().hasImages()) throw new UserError("the DP reads images: set task.image_key (e.g. configs/pusht_image.yaml)");
        try (var frames = ImageFrames.open(c.datasetPath(), c.task().imageKey(), List.of(e.name()), Long.MAX_VALUE)) {
            byte[] ep = frames.episodeFrames(0);
            int top = ImageCrop.centre(frames.height(), spec.height());
            int left = ImageCrop.centre(frames.width(), spec.width());
            float[][] out = new float[e.length()][spec.stepDim()];
            for (int t = 0; t < e.length(); t++) {
                System.arraycopy(e.obs()[t], 0, out[t], 0, spec.lowDim());
                ImageCrop.toChw(ep, frames.offset(0, t), frames.height(), frames.width(), frames.channels(),
                        top, left, spec.height(), spec.width(), out[t], spec.lowDim());
            }
            return out;
        }
    }
}
