package org.steppolicy.infer.runtime;

import org.steppolicy.models.DpArch;
import org.steppolicy.models.PredictorArch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.models.TensorStore;

/** Checkpoint directories (docs/checkpoint-format.md layout) to runnable models; trained ones when STEP_DP_CKPT points at one. */
class PolicyLoaderTest {
    @TempDir
    Path tmp;

    static final String NORMALIZER = """
            {"obs": {"mode": "limits", "dim": 20, "scale": %s, "offset": %s, "input_min": %s, "input_max": %s},
             "action": {"mode": "limits", "dim": 2, "scale": [0.004, 0.005], "offset": [-1.0, -1.2],
                        "input_min": [0, 0], "input_max": [500, 400]}}""";

    private static String array(double v, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ", ").append(v + 0.001 * i);
        return sb.append("]").toString();
    }

    private static void write(Path dir, String kind, Map<String, Object> arch, TensorStore model, TensorStore ema) throws Exception {
        Files.createDirectories(dir);
        model.save(dir.resolve(Checkpoint.MODEL));
        if (ema != null) ema.save(dir.resolve(Checkpoint.EMA));
        Files.writeString(dir.resolve(Checkpoint.NORMALIZER),
                NORMALIZER.formatted(array(0.01, 20), array(-0.9, 20), array(0, 20), array(500, 20)));
        Files.writeString(dir.resolve(Checkpoint.META), new Checkpoint.Meta(kind, 500, 0.1, arch).toJson());
    }

    static Map<String, Object> dpArch(ConditionalUnet1d net) {
        return new DpArch(net.config(), 16, 2, 8, 20, 2, 100, null, null).toArch();
    }

    static Map<String, Object> predictorArch(PredictorNetConfig c) {
        return new PredictorArch(c, 8).toArch();
    }

    @Test
    void loadsEmaWeightsNormalisersAndPredictorFromCheckpoints() throws Exception {
        ConditionalUnet1d net = TinyNets.unet();
        TensorStore raw = net.initParams(1), ema = net.initParams(2);
        write(tmp.resolve("dp"), Checkpoint.KIND_DP, dpArch(net), raw, ema);
        PredictorNetConfig pc = TinyNets.predictor(PredictorNetConfig.Kind.SPATIAL);
        write(tmp.resolve("pred"), Checkpoint.KIND_PREDICTOR, predictorArch(pc), new StepPredictorNet(pc).initParams(3), null);

        PolicyBundle b = PolicyLoader.fromCheckpoints(tmp.resolve("dp"), tmp.resolve("pred"));
        assertEquals(TinyNets.SHAPE, b.shape());
        assertEquals(0.004f, b.normalization().action().scale()[0]);
        assertEquals(-0.899f, b.normalization().obs().offset()[1], 1e-7);
        assertEquals("spatial", b.predictor().kind());

        PolicyModels m = PolicyLoader.models(b, RuntimeKind.ONNX, 1);
        try (Denoiser loaded = m.denoiser(); Denoiser fromEma = OnnxDenoiser.of(net, ema, 1)) {
            assertTrue(!m.predictor().usesPreviousChunk());
            SplittableRandom r = new SplittableRandom(3);
            float[] x = TinyNets.random(r, 32), cond = TinyNets.random(r, 40), a = new float[32], e = new float[32];
            loaded.predict(x, new int[] {10}, cond, 1, a);
            fromEma.predict(x, new int[] {10}, cond, 1, e);
            assertArrayEquals(e, a, "evaluation uses the EMA weights");
            m.predictor().close();
        }
    }

    @Test
    void wrongKindOrMissingCheckpointIsAUserError() throws Exception {
        ConditionalUnet1d net = TinyNets.unet();
        write(tmp.resolve("dp"), Checkpoint.KIND_DP, dpArch(net), net.initParams(1), null);
        UserError e = assertThrows(UserError.class, () -> PolicyLoader.fromCheckpoints(tmp.resolve("dp"), tmp.resolve("dp")));
        assertTrue(e.getMessage().contains("'predictor' checkpoint is needed"), e.getMessage());
        assertThrows(UserError.class, () -> PolicyLoader.fromCheckpoints(tmp.resolve("nothing"), null));
    }

    /** Trained weights: set STEP_DP_CKPT (and STEP_PREDICTOR_CKPT) to checkpoint directories. */
    @Test
    void trainedCheckpointsGiveTheSameOutputsAndActionsOnBothRuntimes() {
        String dp = System.getenv("STEP_DP_CKPT");
        Assumptions.assumeTrue(dp != null && Files.isDirectory(Path.of(dp)), "STEP_DP_CKPT not set: no trained checkpoint to compare");
        String pred = System.getenv("STEP_PREDICTOR_CKPT");
        PolicyBundle b = PolicyLoader.fromCheckpoints(Path.of(dp), pred == null ? null : Path.of(pred));
        RuntimeEquivalenceTest.assertRuntimesAgree(b, pred == null ? List.of("ddim:2", "ddpm:10") : List.of("ddim:2", "step:2"));
    }
}
