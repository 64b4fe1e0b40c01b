package org.steppolicy.infer.policy;

import org.steppolicy.models.DiffusionSchedule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.PredictionType;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.infer.runtime.OnnxExport;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.models.BetaSchedule;
import org.steppolicy.models.PredictorNetConfig;

class StepPolicyTest {
    @TempDir
    Path tmp;

    private Path dp(int steps, String beta, boolean clip, String prediction) throws Exception {
        return TinyCheckpoints.dp(tmp.resolve("dp-" + steps + beta + clip + prediction), steps,
                TinyCheckpoints.config(steps, beta, clip, prediction));
    }

    @Test
    void loadTakesSizesAndSchedulerFromTheCheckpoint() throws Exception {
        Path dir = dp(50, "squaredcos_cap_v2", false, "epsilon");
        try (StepPolicy p = StepPolicy.load(dir, "ddim:2")) {
            PolicyInfo i = p.info();
            assertEquals(List.of(20, 2, 2, 8, 16), List.of(i.obsDim(), i.actionDim(), i.obsSteps(), i.actionSteps(), i.horizon()));
            assertEquals("ddim:2", i.method());
            assertEquals(new SchedulerConfig(BetaSchedule.SQUAREDCOS_CAP_V2, 50, 1e-4, 0.02, false, PredictionType.EPSILON), i.scheduler());
            assertTrue(i.provenance().contains(dir.toString()) && i.provenance().contains("step 20") && i.provenance().endsWith("on onnx"),
                    i.provenance());

            p.reset(CheckpointScheduleTest.SEED);
            double[][] got = p.predictChunk(TinyCheckpoints.window());
            double[][] want = CheckpointScheduleTest.reference(PolicyLoader.fromCheckpoints(dir, null), TinyCheckpoints.window(),
                    DiffusionSchedule.squaredcosCapV2(50), false, new int[] {25, 0});
            assertEquals(0, CheckpointScheduleTest.maxDiff(got, want), 1e-3);
            assertEquals(16, p.lastHorizon().length);
            assertArrayEquals(toFloat(got[0]), p.lastHorizon()[1], 1e-3f, "the executed slice starts at To-1");
        }
    }

    @Test
    void linearScaledLinearAndSamplePredictionLoad() throws Exception {
        try (StepPolicy p = StepPolicy.load(dp(100, "linear", true, "sample"), "ddim:4")) {
            assertEquals(BetaSchedule.LINEAR, p.info().scheduler().betaSchedule());
            assertEquals(PredictionType.SAMPLE, p.info().scheduler().predictionType());
            p.reset(1);
            assertEquals(2, p.act(new float[20]).length);
        }
        try (StepPolicy p = StepPolicy.load(dp(100, "scaled_linear", true, "epsilon"), "ddpm:10")) {
            assertEquals(BetaSchedule.SCALED_LINEAR, p.info().scheduler().betaSchedule());
        }
    }

    @Test
    void anUnsupportedScheduleOrPredictionTypeIsRefusedAtLoad() throws Exception {
        Path sigmoid = dp(100, "sigmoid", true, "epsilon");
        UserError e = assertThrows(UserError.class, () -> StepPolicy.load(sigmoid, "ddim:2"));
        assertOneLine(e, "unsupported beta_schedule 'sigmoid' (supported: squaredcos_cap_v2, linear, scaled_linear)");
        assertTrue(e.getMessage().startsWith(sigmoid.toString()), e.getMessage());

        Path v = dp(100, "squaredcos_cap_v2", true, "v_prediction");
        assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(v, "ddim:2")),
                "unsupported prediction_type 'v_prediction' (supported: epsilon, sample)");

        Path export = tmp.resolve("export");
        OnnxExport.write(PolicyLoader.fromCheckpoints(dp(100, "squaredcos_cap_v2", true, "epsilon"), null), export);
        ObjectMapper json = new ObjectMapper();
        ObjectNode side = (ObjectNode) json.readTree(export.resolve(OnnxExport.SIDECAR).toFile());
        ((ObjectNode) side.get("dp")).put("prediction_type", "v_prediction");
        json.writeValue(export.resolve(OnnxExport.SIDECAR).toFile(), side);
        // a hand-edited sidecar: without the checksums (which would refuse it first) the schedule checks are reached
        Files.delete(export.resolve(org.steppolicy.run.Checksums.FILE));
        assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(export, "ddim:2")), "unsupported prediction_type 'v_prediction'");

        ((ObjectNode) side.get("dp")).put("prediction_type", "epsilon");
        ((ObjectNode) side.get("schedule")).put("beta_schedule", "linear"); // the ᾱ table written is still the cosine one
        json.writeValue(export.resolve(OnnxExport.SIDECAR).toFile(), side);
        assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(export, "ddim:2")), "alphas_cumprod[0]");
    }

    @Test
    void missingPredictorOrUnknownMethodIsAUserError() throws Exception {
        Path dir = dp(100, "squaredcos_cap_v2", true, "epsilon");
        assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(dir, "step:2")), "needs a 'step' predictor");
        assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(dir, "warp:2")), "unknown method 'warp'");
        assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(dir, "ddpm:200")), "ddpm:200");
        // a label says its network calls (KPrimeTest): a chain that would make fewer is refused in one line
        assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(dir, "temporal:4:t10")),
                "method temporal:4:t10: entering at t10, a 4-step chain has only 1 strided timestep(s) below it, so it would make 2 network calls");
        assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(dir, "dpmsolver:100")),
                "method dpmsolver:100: on a 100-step schedule its chain would make 99 network calls, not the 100 its label says");
        assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(tmp.resolve("nothing"), "ddim:2")), "nothing");
    }

    /** A denoiser that predicts ε = 0 and records how often it ran and on which condition. */
    static final class Recording implements Denoiser {
        int calls;
        float[] lastCond = new float[40];

        @Override public int horizon() { return 16; }
        @Override public int inputDim() { return 2; }
        @Override public int condDim() { return 40; }

        @Override
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            calls++;
            System.arraycopy(cond, 0, lastCond, 0, 40);
            Arrays.fill(out, 0, 32, 0f);
        }
    }

    static final LinearNormalizer OBS = LinearNormalizer.affine(fill(20, 0.004f), fill(20, -1f));

    private static StepPolicy fake(Recording d) {
        DatasetNormalizer norm = new DatasetNormalizer(OBS, LinearNormalizer.affine(fill(2, 0.004f), fill(2, -1f)));
        return StepPolicy.open(m -> new PolicyModels(PolicyShape.pushT(), d, norm, null, null), MethodSpec.parse("ddim:2").config());
    }

    @Test
    void actCallsTheModelOncePerTaActions() {
        Recording d = new Recording();
        try (StepPolicy p = fake(d)) {
            p.reset();
            assertNull(p.lastLatency());
            List<CallLatency> seen = new ArrayList<>();
            for (int step = 0; step < 17; step++) {
                float[] a = p.act(obs(step));
                assertEquals(2, a.length);
                if (seen.isEmpty() || seen.get(seen.size() - 1) != p.lastLatency()) seen.add(p.lastLatency());
                int modelCalls = d.calls / 2; // ddim:2: two denoiser calls per model call
                assertEquals(step / 8 + 1, modelCalls, "after act #" + (step + 1));
            }
            assertEquals(3, seen.size(), "steps 1, 9 and 17 call the model");
            assertFalse(seen.get(0).coldStart(), "ddim starts from noise every call: no cold start");
        }
    }

    @Test
    void historyIsPaddedAfterResetAndSlidesAfterwards() {
        Recording d = new Recording();
        try (StepPolicy p = fake(d)) {
            p.reset(3);
            p.act(obs(1));
            assertArrayEquals(concat(norm(obs(1)), norm(obs(1))), d.lastCond, "the first observation fills the history");
            for (int step = 2; step <= 9; step++) p.act(obs(step));
            assertArrayEquals(concat(norm(obs(8)), norm(obs(9))), d.lastCond, "the last To observations, oldest first");

            p.reset();
            int before = d.calls;
            p.act(obs(10));
            assertEquals(before + 2, d.calls, "reset empties the action queue");
            assertArrayEquals(concat(norm(obs(10)), norm(obs(10))), d.lastCond, "and pads the history again");
        }
    }

    @Test
    void anObservationOfTheWrongSizeIsRefused() {
        Recording d = new Recording();
        try (StepPolicy p = fake(d)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.act(new float[3]));
            assertEquals("observation has 3 values, expected 20", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.act(new double[21]));
            assertThrows(IllegalArgumentException.class, () -> p.predictChunk(new float[][] {new float[20], new float[19]}));
            assertThrows(IllegalArgumentException.class, () -> p.predictChunk(new double[][] {new double[20]}), "fewer than To rows");
            assertEquals(0, d.calls);
        }
    }

    @Test
    void sessionsShareTheLoadedModelsButNotTheirState() throws Exception {
        Path dir = dp(100, "squaredcos_cap_v2", true, "epsilon");
        StepPolicy first = StepPolicy.load(dir, "ddim:2");
        try (StepPolicy second = first.newSession()) {
            assertSame(first.info().scheduler(), second.info().scheduler());
            first.reset(11);
            second.reset(11);
            for (int step = 0; step < 10; step++) {
                float[] o = raw(step);
                assertArrayEquals(first.act(o), second.act(o), "same seed, same observations, same actions");
            }
            first.reset(12);
            first.act(raw(0));
            float[] a = second.act(raw(10)); // second's queue still holds actions: no model call
            assertNotSame(first.lastLatency(), second.lastLatency());
            first.close();
            assertThrows(IllegalStateException.class, () -> first.act(raw(0)));
            assertEquals(2, second.act(raw(11)).length, "closing one session leaves the other running");
            assertEquals(2, a.length);
        }
    }

    @Test
    void falconRunsOnATrainedDpAndAResetForgetsItsLatents() throws Exception {
        Path dir = dp(100, "squaredcos_cap_v2", true, "epsilon");
        try (StepPolicy p = StepPolicy.load(dir, "falcon:2"); StepPolicy q = p.newSession()) {
            assertEquals("falcon:2", p.info().method());
            p.reset(5);
            List<float[]> episode = new ArrayList<>();
            for (int step = 0; step < 40; step++) {
                episode.add(p.act(raw(step)));
                if (step == 0) assertTrue(p.lastLatency().coldStart(), "the first call has no previous chunk");
            }
            assertFalse(p.lastLatency().coldStart());
            // The latent buffer is episode state: after reset(seed) the same episode comes back, and so in a new session.
            p.reset(5);
            q.reset(5);
            for (int step = 0; step < 40; step++) {
                assertArrayEquals(episode.get(step), p.act(raw(step)), "after reset, act #" + step);
                assertArrayEquals(episode.get(step), q.act(raw(step)), "new session, act #" + step);
            }
        }
    }

    @Test
    void anExportFolderActsLikeItsCheckpoints() throws Exception {
        Path dir = dp(100, "squaredcos_cap_v2", true, "epsilon");
        Path pred = TinyCheckpoints.predictor(tmp.resolve("pred"), PredictorNetConfig.Kind.STEP);
        Path export = tmp.resolve("export");
        OnnxExport.write(PolicyLoader.fromCheckpoints(dir, pred), export);
        try (StepPolicy ckpt = StepPolicy.load(dir, "step:2", PolicyOptions.defaults().withPredictors(pred));
             StepPolicy onnx = StepPolicy.load(export, "step:2")) {
            assertEquals(ckpt.info().scheduler(), onnx.info().scheduler());
            assertTrue(onnx.info().provenance().startsWith("onnx export " + export), onnx.info().provenance());
            ckpt.reset(4);
            onnx.reset(4);
            for (int call = 0; call < 3; call++) {
                double[][] w = TinyCheckpoints.window();
                w[1][0] += 10 * call;
                assertEquals(0, CheckpointScheduleTest.maxDiff(ckpt.predictChunk(w), onnx.predictChunk(w)), 1e-2, "call " + call);
                assertEquals(call == 0, onnx.lastLatency().coldStart(), "the first call after reset is the cold start");
            }
        }
        UserError e = assertThrows(UserError.class,
                () -> StepPolicy.load(export, "ddim:2", PolicyOptions.defaults().withRuntime(RuntimeKind.SAMEDIFF)));
        assertOneLine(e, "ONNX Runtime only");
    }

    @Test
    void sameDiffRuntimeGivesTheSameActionsAsOnnxRuntime() throws Exception {
        Path dir = dp(100, "squaredcos_cap_v2", true, "epsilon");
        try (StepPolicy onnx = StepPolicy.load(dir, "ddim:2", PolicyOptions.defaults().withSeed(9));
             StepPolicy sd = StepPolicy.load(dir, "ddim:2", PolicyOptions.defaults().withSeed(9).withRuntime(RuntimeKind.SAMEDIFF))) {
            assertTrue(sd.info().provenance().endsWith("on samediff"));
            assertEquals(0, CheckpointScheduleTest.maxDiff(onnx.predictChunk(TinyCheckpoints.window()),
                    sd.predictChunk(TinyCheckpoints.window())), 1e-2);
        }
    }

    static void assertOneLine(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    private static float[] obs(int step) {
        float[] o = new float[20];
        for (int i = 0; i < 20; i++) o[i] = 10 * step + i;
        return o;
    }

    private static float[] raw(int step) {
        float[] o = new float[20];
        for (int i = 0; i < 20; i++) o[i] = (float) (250 + 100 * Math.sin(0.3 * step + i));
        return o;
    }

    private static float[] norm(float[] raw) {
        float[] out = new float[raw.length];
        double[] d = new double[raw.length];
        for (int i = 0; i < raw.length; i++) d[i] = raw[i];
        OBS.normalize(d, out, 0);
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static float[] fill(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) a[i];
        return out;
    }
}
