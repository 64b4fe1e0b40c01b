package org.steppolicy.infer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.GaussianNoise;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.PlanMemory;
import org.steppolicy.infer.ChunkPlanner;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.OnnxBuilder;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;

/**
 * step_policy.onnx on ONNX Runtime against the Java engine (ChunkPlanner over the same networks on ONNX Runtime) on
 * the same noise, call after call: the first call's cold branch, then warm calls fed the file's own previous chunk.
 */
class FusedOnnxTest {
    private static final PolicyShape S = TinyNets.SHAPE;
    private static final int COLD_STEPS = 3;

    /** Non-trivial normalisers on both sides, so that a missing or misplaced (un)normalisation shows. */
    private static PolicyBundle bundle(PredictorNetConfig.Kind kind) {
        ConditionalUnet1d net = TinyNets.unet();
        float[] scale = new float[20], offset = new float[20];
        for (int i = 0; i < 20; i++) {
            scale[i] = 0.005f * (i + 1);
            offset[i] = -1.2f + 0.01f * i;
        }
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.affine(scale, offset),
                LinearNormalizer.affine(new float[] {0.004f, 0.0041f}, new float[] {-1.05f, -1.1f}));
        PredictorNetConfig pc = TinyNets.predictor(kind);
        return new PolicyBundle(S, net, net.initParams(4), norm, SchedulerConfig.diffusionPolicy(),
                PredictorLoader.bundle(pc, new StepPredictorNet(pc).initParams(5), norm));
    }

    private static byte[] fused(PolicyBundle b, MethodConfig m) {
        PredictorBundle p = b.predictor();
        FusedOnnx.Parts parts = new FusedOnnx.Parts(S, b.scheduler(), b.normalization(), b.dp().toOnnx(b.dpParams()).toByteArray(),
                OnnxBuilder.export(p.net(), p.params(), "predictor").toByteArray(), p.usesPreviousChunk());
        return FusedOnnx.build(parts, m).toByteArray();
    }

    /** Raw values whose normalised image lies in [-1.2, 1.2], as floats (what both sides receive). */
    private static float[] rawObs(SplittableRandom r, LinearNormalizer n, int steps) {
        float[] v = new float[steps * n.dim()];
        for (int s = 0; s < steps; s++)
            for (int d = 0; d < n.dim(); d++)
                v[s * n.dim() + d] = (float) ((2.4 * r.nextDouble() - 1.2 - n.offset()[d]) / n.scale()[d]);
        return v;
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        GaussianNoise g = new GaussianNoise(r.nextLong());
        float[] v = new float[n];
        g.fill(v, 0, n);
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"step:2", "temporal:2", "ddim:2", "spatial:2", "step:3:t60"})
    void fusedFileMatchesTheJavaEngineOnTheSameNoise(String spec) {
        PredictorNetConfig.Kind kind = spec.startsWith("spatial") ? PredictorNetConfig.Kind.SPATIAL : PredictorNetConfig.Kind.STEP;
        PolicyBundle b = bundle(kind);
        MethodConfig m = FusedOnnx.resolve(spec, InferenceSettings.defaults(), COLD_STEPS);
        assertTrue(m.method().name().equals("DDIM") || m.label().endsWith(":noperturb"), m.label());
        assertTrue(!m.perturbation().enabled());
        int n = S.chunkSize(), da = S.actionDim();
        LinearNormalizer act = b.normalization().action();
        SplittableRandom r = new SplittableRandom(11);
        double worstAction = 0, worstChunk = 0;
        var models = PolicyLoader.models(b, RuntimeKind.ONNX, 1);
        try (FusedOnnxSession session = new FusedOnnxSession(fused(b, m), S, 1)) {
            ChunkPlanner planner = new ChunkPlanner(models, m);
            PlanMemory memory = planner.newMemory();
            float[] prev = new float[n];
            float[] javaChunk = new float[n];
            for (int call = 0; call < 5; call++) {
                float[] obs = rawObs(r, b.normalization().obs(), S.obsSteps());
                float[] noise = gaussian(r, n);
                double[][] window = new double[S.obsSteps()][S.obsDim()];
                for (int s = 0; s < S.obsSteps(); s++)
                    for (int d = 0; d < S.obsDim(); d++) window[s][d] = obs[s * S.obsDim() + d];
                GaussianNoise replay = GaussianNoise.replay(noise);
                double[][] expected = planner.plan(window, S.actionSteps(), memory, replay);
                assertEquals(0, replay.remaining(), "the engine draws exactly H*Da values per call (call " + call + ")");
                FusedOnnxSession.Output out = session.run(obs, prev, noise, call == 0);

                assertEquals(S.actionSteps(), out.actions().length);
                for (int i = 0; i < S.actionSteps(); i++)
                    for (int a = 0; a < da; a++) {
                        double e = expected[i][a], g = out.actions()[i][a];
                        worstAction = Math.max(worstAction, Math.abs(e - g) / Math.max(1, Math.abs(e)));
                    }
                memory.lastChunk(javaChunk);
                for (int j = 0; j < n; j++) {
                    // in the engine's own (normalised) units, where 1e-5 is meaningful for float32
                    double g = act.normalize(j % da, out.chunk()[j]);
                    worstChunk = Math.max(worstChunk, Math.abs(g - javaChunk[j]));
                }
                prev = out.chunk();
            }
        } finally {
            models.close();
        }
        System.out.printf("fused %s vs Java engine: max relative action difference %.3g, max normalised chunk difference %.3g%n",
                m.label(), worstAction, worstChunk);
        assertTrue(worstAction <= 1e-5, spec + ": actions differ by " + worstAction + " (relative)");
        assertTrue(worstChunk <= 1e-5, spec + ": normalised chunks differ by " + worstChunk);
    }

    /** The inputs matter: other noise, or the cold branch instead of the warm one, give other actions. */
    @Test
    void noiseAndFirstCallChangeTheOutput() {
        PolicyBundle b = bundle(PredictorNetConfig.Kind.STEP);
        MethodConfig m = FusedOnnx.resolve("step:2", InferenceSettings.defaults(), COLD_STEPS);
        SplittableRandom r = new SplittableRandom(3);
        float[] obs = rawObs(r, b.normalization().obs(), S.obsSteps());
        float[] prev = rawObs(r, b.normalization().action(), S.horizon());
        float[] noise = gaussian(r, S.chunkSize()), other = gaussian(r, S.chunkSize());
        try (FusedOnnxSession session = new FusedOnnxSession(fused(b, m), S, 1)) {
            float[] warm = session.run(obs, prev, noise, false).chunk();
            assertTrue(maxDiff(warm, session.run(obs, prev, noise, false).chunk()) == 0, "deterministic");
            assertTrue(maxDiff(warm, session.run(obs, prev, other, false).chunk()) > 1e-3);
            assertTrue(maxDiff(warm, session.run(obs, prev, noise, true).chunk()) > 1e-3);
            float[] prev2 = prev.clone();
            prev2[5] += 40f;
            assertTrue(maxDiff(warm, session.run(obs, prev2, noise, false).chunk()) > 1e-6, "the predictor reads prev_chunk");
        }
    }

    @Test
    void exportWritesTheFileAndTheFolderReadsItBack(@TempDir java.nio.file.Path dir) throws Exception {
        PolicyBundle b = bundle(PredictorNetConfig.Kind.STEP);
        MethodConfig m = FusedOnnx.resolve("step:2", InferenceSettings.defaults(), COLD_STEPS);
        java.nio.file.Path first = dir.resolve("a"), copy = dir.resolve("b");
        OnnxExport.write(b.withPredictor(null), java.util.List.of(b.predictor()), first, m);
        OnnxExportFolder folder = OnnxExportFolder.read(first);
        assertEquals("step:2:noperturb", folder.fusedMethod());
        assertTrue(folder.files().contains(FusedOnnx.FILE));
        assertTrue(java.nio.file.Files.readString(first.resolve(org.steppolicy.run.Checksums.FILE)).contains(FusedOnnx.FILE));
        var side = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.resolve(OnnxExport.SIDECAR).toFile()).get("fused");
        assertEquals("[50,0]", side.get("timesteps").toString());
        assertEquals(COLD_STEPS, side.get("cold_start").get("timesteps").size());

        // From the export folder alone (no checkpoint): the same file, byte for byte, and a folder that reads back.
        OnnxExport.writeFused(folder, copy, m);
        org.junit.jupiter.api.Assertions.assertArrayEquals(java.nio.file.Files.readAllBytes(first.resolve(FusedOnnx.FILE)),
                java.nio.file.Files.readAllBytes(copy.resolve(FusedOnnx.FILE)));
        assertEquals(folder.files(), OnnxExportFolder.read(copy).files());

        byte[] f = java.nio.file.Files.readAllBytes(copy.resolve(FusedOnnx.FILE));
        f[f.length / 2] ^= 1;
        java.nio.file.Files.write(copy.resolve(FusedOnnx.FILE), f);
        assertThrows(UserError.class, () -> OnnxExportFolder.read(copy), "a changed step_policy.onnx fails its checksum");
    }

    @Test
    void unsupportedMethodsAreRefusedWithOneLine() {
        InferenceSettings s = InferenceSettings.defaults();
        assertThrows(UserError.class, () -> FusedOnnx.resolve("ddpm:10", s, 10));
        assertThrows(UserError.class, () -> FusedOnnx.resolve("step:2:perturb", s, 10));
        assertThrows(UserError.class, () -> FusedOnnx.resolve("step:2:fine", s, 10));
        assertThrows(UserError.class, () -> FusedOnnx.resolve("step:2:dpmsolver", s, 10));
        assertThrows(UserError.class, () -> FusedOnnx.resolve("predictor", s, 10));
        assertEquals("step:2:noperturb", FusedOnnx.resolve("step:2", s, 10).label());
        assertEquals("ddim:2", FusedOnnx.resolve("ddim:2", s, 10).label());
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
