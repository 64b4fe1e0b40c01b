package org.steppolicy.infer.policy;

import org.steppolicy.models.DiffusionSchedule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.infer.SolverKind;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.GaussianNoise;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.SampleConstraint;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.RuntimeKind;

/**
 * The sampler runs on the noise schedule the checkpoint records, not on Diffusion Policy's default: a DP whose
 * checkpoint says 50 training steps and clip_sample false gives exactly the DDIM chain over the 50-step table without
 * clipping. Uses only the loader and the planner, so it runs against the code before the fix too (and fails there).
 */
class CheckpointScheduleTest {
    @TempDir
    Path tmp;

    static final long SEED = 7;

    @Test
    void samplerUsesTheCheckpointsFiftyStepScheduleWithoutClipping() throws Exception {
        Path dir = TinyCheckpoints.dp(tmp.resolve("dp"), 50, TinyCheckpoints.config(50, "squaredcos_cap_v2", false, "epsilon"));
        PolicyBundle b = PolicyLoader.fromCheckpoints(dir, null);
        double[][] window = TinyCheckpoints.window();

        PolicyModels m = PolicyLoader.models(b, RuntimeKind.ONNX, 1);
        double[][] got;
        try (StepPolicy policy = StepPolicy.open(method -> m, MethodSpec.parse("ddim:2").config())) {
            policy.reset(SEED);
            got = policy.predictChunk(window);
        }

        double[][] fifty = reference(b, window, DiffusionSchedule.squaredcosCapV2(50), false, new int[] {25, 0});
        double[][] fiftyClipped = reference(b, window, DiffusionSchedule.squaredcosCapV2(50), true, new int[] {25, 0});
        double[][] hundred = reference(b, window, DiffusionSchedule.diffusionPolicy(), false, new int[] {50, 0});
        double[][] hundredClipped = reference(b, window, DiffusionSchedule.diffusionPolicy(), true, new int[] {50, 0});
        assertTrue(maxDiff(fifty, hundred) > 1 && maxDiff(fifty, fiftyClipped) > 1 && maxDiff(fifty, hundredClipped) > 1,
                "the four chains must be told apart");
        assertEquals(0, maxDiff(got, fifty), 1e-3, "the checkpoint's 50-step schedule, clip_sample false");
    }

    /** DDIM by hand on one schedule: noise from the planner's seed, the normalised window, the executed slice, raw. */
    static double[][] reference(PolicyBundle b, double[][] window, DiffusionSchedule s, boolean clip, int[] timesteps) {
        int to = b.shape().obsSteps(), doDim = b.shape().obsDim(), da = b.shape().actionDim(), h = b.shape().horizon();
        float[] cond = new float[to * doDim], x = new float[h * da];
        for (int i = 0; i < to; i++) b.normalization().obs().normalize(window[i], cond, i * doDim);
        GaussianNoise noise = new GaussianNoise(SEED);
        noise.fill(x, 0, x.length);
        PolicyModels m = PolicyLoader.models(b, RuntimeKind.ONNX, 1);
        try (Denoiser dp = m.denoiser()) {
            SolverKind.DDIM.create(s, clip).run(dp, timesteps, x, cond, 1, noise, SampleConstraint.NONE);
        }
        LinearNormalizer act = b.normalization().action();
        double[][] out = new double[b.shape().actionSteps()][da];
        for (int i = 0; i < out.length; i++)
            for (int a = 0; a < da; a++) out[i][a] = act.unnormalize(a, x[(to - 1 + i) * da + a]);
        return out;
    }

    static double maxDiff(double[][] a, double[][] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++)
            for (int j = 0; j < a[i].length; j++) d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
        return d;
    }
}
