package org.steppolicy.eval;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DemoDataset;
import org.steppolicy.data.Episode;
import org.steppolicy.data.ImageCrop;
import org.steppolicy.data.ImageFrames;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.OfflineEvaluation;
import org.steppolicy.infer.OfflineResult;
import org.steppolicy.infer.OfflineWindow;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.policy.ModelSource;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.models.ImageObsSpec;

/** Offline evaluation of tasks without a simulator: each method's StepPolicy replays the valid demos. */
final class OfflineRun {
    private OfflineRun() {}

    static List<OfflineResult> run(StepConfig c, PolicyBundle dp, ModelSource models, InferenceSettings settings,
                                   List<MethodSpec> specs, long seed, PrintWriter log) {
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
            OfflineResult r = OfflineEvaluation.evaluate(models, m.config(settings), episodes, seed);
            log.printf("%-14s action MSE (chunk) %.5f  latency p50 %.2f ms%n", m.label(), r.mseChunk(), r.latency().medianMs());
            log.flush();
            out.add(r);
        }
        return out;
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
