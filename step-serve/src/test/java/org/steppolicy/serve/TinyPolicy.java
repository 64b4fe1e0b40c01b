package org.steppolicy.serve;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.RuntimeKind;

/** A tiny random-weight Push-T policy (U-Net [16, 32], a small STEP predictor): milliseconds per chunk. */
final class TinyPolicy {
    static final List<String> OVERRIDES = List.of("policy.down_dims=[16,32]", "policy.diffusion_step_embed_dim=16",
            "predictor.d_model=32", "predictor.dim_feedforward=64");
    private static PolicyBundle bundle;

    private TinyPolicy() {}

    static synchronized PolicyBundle bundle() {
        if (bundle == null) {
            StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), OVERRIDES);
            bundle = PolicyLoader.randomWeights(c, 7, true);
        }
        return bundle;
    }

    /** Serves step:2 (default), ddim:2, temporal:2 and falcon:2 on ONNX Runtime with {@code instances} model instances. */
    static StepServedPolicy served(int instances) {
        return StepServedPolicy.of(bundle(), List.of(), "random weights (seed 7)", new StepServedPolicy.Options("step:2",
                List.of("ddim:2", "temporal:2", "falcon:2"), InferenceSettings.defaults(), RuntimeKind.ONNX, instances));
    }

    /** As {@link #served(int)}, the sessions' forwards batched up to {@code maxBatch} rows. */
    static StepServedPolicy batched(int instances, int maxBatch, java.time.Duration window) {
        return StepServedPolicy.of(bundle(), List.of(), "random weights (seed 7)", new StepServedPolicy.Options("step:2",
                List.of("ddim:2", "temporal:2", "falcon:2"), InferenceSettings.defaults(), RuntimeKind.ONNX, instances,
                maxBatch, window));
    }

    /** A plausible Push-T observation (20 keypoint coordinates in [0, 512)). */
    static double[] observation(SplittableRandom r) {
        double[] o = new double[20];
        for (int i = 0; i < o.length; i++) o[i] = 512 * r.nextDouble();
        return o;
    }
}
