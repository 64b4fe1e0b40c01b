package org.steppolicy.infer.policy;

import org.steppolicy.models.DpArch;
import org.steppolicy.models.PredictorArch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.models.UnetConfig;

/**
 * Checkpoint folders in the layout train-dp and train-predictor write (docs/checkpoint-format.md), with seeded random
 * weights of tiny networks at Push-T's sizes (To 2, Ta 8, H 16, obs 20, action 2): nothing is trained.
 */
final class TinyCheckpoints {
    private TinyCheckpoints() {}

    static final int OBS_DIM = 20, ACTION_DIM = 2, TO = 2, TA = 8, HORIZON = 16;

    /** Push-T-like limits normalisers: obs in [0, 500], actions in [0, 500] x [0, 400]. */
    static final String NORMALIZER = """
            {"obs": {"mode": "limits", "dim": 20, "scale": %s, "offset": %s},
             "action": {"mode": "limits", "dim": 2, "scale": [0.004, 0.005], "offset": [-1.0, -1.0]}}"""
            .formatted(repeat(0.004, 20), repeat(-1.0, 20));

    /** The scheduler keys of a config.yaml policy section, as train-dp writes them. */
    static String config(int trainSteps, String betaSchedule, boolean clip, String prediction) {
        return "policy:\n  num_train_timesteps: " + trainSteps + "\n  beta_schedule: " + betaSchedule + "\n  clip_sample: " + clip
                + "\n  prediction_type: " + prediction + "\n";
    }

    static ConditionalUnet1d unet() {
        return new ConditionalUnet1d(UnetConfig.of(ACTION_DIM, TO * OBS_DIM, List.of(16, 32), 16), HORIZON);
    }

    /** A DP checkpoint folder (EMA weights too) whose meta.json says trainSteps and whose config.yaml is given. */
    static Path dp(Path dir, int trainSteps, String configYaml) throws IOException {
        ConditionalUnet1d net = unet();
        Map<String, Object> a = new DpArch(net.config(), HORIZON, TO, TA, OBS_DIM, ACTION_DIM, trainSteps, null, null).toArch();
        write(dir, Checkpoint.KIND_DP, a, configYaml);
        net.initParams(1).save(dir.resolve(Checkpoint.MODEL));
        net.initParams(2).save(dir.resolve(Checkpoint.EMA));
        return dir;
    }

    /** A predictor checkpoint folder of the given kind. */
    static Path predictor(Path dir, PredictorNetConfig.Kind kind) throws IOException {
        return predictor(dir, kind, 3);
    }

    /** A predictor checkpoint whose weights are drawn from {@code seed}. */
    static Path predictor(Path dir, PredictorNetConfig.Kind kind, long seed) throws IOException {
        PredictorNetConfig c = new PredictorNetConfig(OBS_DIM, ACTION_DIM, TO, HORIZON, 32, 4, 64, 0.1, 1, 1, kind);
        Map<String, Object> a = new PredictorArch(c, TA).toArch();
        write(dir, Checkpoint.KIND_PREDICTOR, a, "");
        new StepPredictorNet(c).initParams(seed).save(dir.resolve(Checkpoint.MODEL));
        return dir;
    }

    private static void write(Path dir, String kind, Map<String, Object> arch, String configYaml) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(Checkpoint.NORMALIZER), NORMALIZER);
        Files.writeString(dir.resolve(Checkpoint.CONFIG), configYaml);
        Files.writeString(dir.resolve(Checkpoint.META), new Checkpoint.Meta(kind, 20, 0.5, arch).toJson());
    }

    /** A fixed raw observation window [To][20] inside the normaliser's range. */
    static double[][] window() {
        double[][] w = new double[TO][OBS_DIM];
        for (int s = 0; s < TO; s++)
            for (int i = 0; i < OBS_DIM; i++) w[s][i] = 250 + 120 * Math.sin(0.7 * i + s);
        return w;
    }

    private static String repeat(double v, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ", ").append(v);
        return sb.append("]").toString();
    }
}
