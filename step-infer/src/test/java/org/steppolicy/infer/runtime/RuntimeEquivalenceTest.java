package org.steppolicy.infer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.models.TensorStore;

/** ONNX Runtime and SameDiff run the same definitions with the same weights: same outputs (1e-4), same actions. */
class RuntimeEquivalenceTest {
    static final double TOL = 1e-4;
    static final PolicyShape SHAPE = TinyNets.SHAPE;

    @Test
    void unetAgreesAcrossRuntimesAtSeveralBatchSizes() {
        ConditionalUnet1d net = TinyNets.unet();
        TensorStore p = net.initParams(7);
        try (Denoiser onnx = OnnxDenoiser.of(net, p, 1); Denoiser sd = new SameDiffDenoiser(net, p)) {
            assertSame(onnx, sd, 1, 11);
            assertSame(onnx, sd, 3, 12);
            assertSame(onnx, sd, 1, 13);   // back to a batch size seen before: the cached buffers are refilled
        }
    }

    @Test
    void inpaintingUnetAgreesAcrossRuntimes() {
        ConditionalUnet1d net = TinyNets.inpaintingUnet();
        TensorStore p = net.initParams(8);
        try (Denoiser onnx = OnnxDenoiser.of(net, p, 1); Denoiser sd = new SameDiffDenoiser(net, p)) {
            assertEquals(0, onnx.condDim());
            assertSame(onnx, sd, 2, 21);
        }
    }

    private static void assertSame(Denoiser a, Denoiser b, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = batch * a.horizon() * a.inputDim();
        float[] x = TinyNets.random(r, n);
        float[] cond = TinyNets.random(r, Math.max(1, batch * a.condDim()));
        int[] t = new int[batch];
        for (int i = 0; i < batch; i++) t[i] = r.nextInt(100);
        float[] oa = new float[n], ob = new float[n];
        a.predict(x, t, cond, batch, oa);
        b.predict(x, t, cond, batch, ob);
        assertClose(oa, ob, "batch " + batch);
    }

    @Test
    void predictorsAgreeAcrossRuntimes() {
        for (PredictorNetConfig.Kind kind : PredictorNetConfig.Kind.values()) {
            PredictorNetConfig cfg = TinyNets.predictor(kind);
            PredictorBundle pb = PredictorLoader.bundle(cfg, new StepPredictorNet(cfg).initParams(3), null);
            try (ChunkPredictor onnx = PolicyLoader.predictor(pb, RuntimeKind.ONNX, 1);
                 ChunkPredictor sd = PolicyLoader.predictor(pb, RuntimeKind.SAMEDIFF, 1)) {
                assertEquals(kind == PredictorNetConfig.Kind.STEP, onnx.usesPreviousChunk());
                for (int batch : new int[] {1, 2}) {
                    SplittableRandom r = new SplittableRandom(batch);
                    float[] obs = TinyNets.random(r, batch * SHAPE.condDim());
                    float[] prev = TinyNets.random(r, batch * SHAPE.chunkSize());
                    float[] oa = new float[batch * SHAPE.chunkSize()], ob = new float[oa.length];
                    onnx.predict(obs, prev, batch, oa);
                    sd.predict(obs, prev, batch, ob);
                    assertClose(oa, ob, kind + " batch " + batch);
                }
            }
        }
    }

    @Test
    void sameActionsForTheSameSeedThroughStepPolicy() {
        ConditionalUnet1d net = TinyNets.unet();
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.identity(SHAPE.obsDim()), LinearNormalizer.identity(SHAPE.actionDim()));
        PolicyBundle b = new PolicyBundle(SHAPE, net, net.initParams(5), norm, SchedulerConfig.diffusionPolicy(),
                PredictorLoader.bundle(TinyNets.predictor(PredictorNetConfig.Kind.STEP),
                        new StepPredictorNet(TinyNets.predictor(PredictorNetConfig.Kind.STEP)).initParams(6), norm));
        assertRuntimesAgree(b, java.util.List.of("ddim:3", "step:2", "dpmsolver:2"));
    }

    /** Same seed, same observations: the actions of both runtimes agree to 1e-4 (normalised units x scale). */
    static void assertRuntimesAgree(PolicyBundle b, java.util.List<String> methods) {
        for (String method : methods) {
            double[][][] onnx = rollout(PolicyLoader.models(b, RuntimeKind.ONNX, 1), method);
            double[][][] sd = rollout(PolicyLoader.models(b, RuntimeKind.SAMEDIFF, 1), method);
            for (int c = 0; c < onnx.length; c++)
                for (int i = 0; i < onnx[c].length; i++)
                    for (int a = 0; a < onnx[c][i].length; a++) {
                        double tol = TOL / b.normalization().action().scale()[a];
                        assertEquals(onnx[c][i][a], sd[c][i][a], tol, method + " call " + c + " action " + i);
                    }
        }
    }

    /**
     * Four model calls (a cold start, then warm starts for step) on a fixed observation stream: each observation is
     * held for the Ta control steps of one call's executed actions.
     */
    private static double[][][] rollout(PolicyModels m, String method) {
        PolicyShape shape = m.shape();
        try (StepPolicy policy = StepPolicy.open(unused -> m, MethodSpec.parse(method).config())) {
            policy.reset(42);
            SplittableRandom r = new SplittableRandom(9);
            double[][][] out = new double[4][shape.actionSteps()][];
            for (int c = 0; c < out.length; c++) {
                double[] obs = new double[shape.obsDim()];
                for (int i = 0; i < obs.length; i++) obs[i] = m.normalization().obs().unnormalize(i, (float) (2 * r.nextDouble() - 1));
                for (int i = 0; i < out[c].length; i++) out[c][i] = policy.act(obs);
            }
            return out;
        }
    }

    static void assertClose(float[] a, float[] b, String what) {
        double max = 0, norm = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
            norm = Math.max(norm, Math.abs(a[i]));
        }
        assertTrue(norm > 1e-3, what + ": outputs are all near zero, the comparison would be empty");
        assertTrue(max <= TOL, what + ": runtimes differ by " + max);
    }
}
