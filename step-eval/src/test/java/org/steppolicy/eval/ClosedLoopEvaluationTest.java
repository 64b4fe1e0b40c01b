package org.steppolicy.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.policy.ModelSource;
import org.steppolicy.sim.Evaluator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClosedLoopEvaluationTest {
    static final PolicyShape SHAPE = PolicyShape.pushT();

    /** An epsilon model whose clean estimate is always "move the agent towards the goal centre". */
    static final class TowardsCentre implements Denoiser {
        public int horizon() { return 16; }
        public int inputDim() { return 2; }
        public int condDim() { return 40; }
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            // x0 = 0 in normalised space (the middle of the action range): eps = x / sqrt(1 - abar) is not needed
            // exactly; returning x makes x0_hat = x (1 - sqrt(1-abar)) / sqrt(abar) shrink towards 0.
            System.arraycopy(x, 0, out, 0, batch * 32);
        }
    }

    static final class CopyPrevious implements ChunkPredictor {
        public int horizon() { return 16; }
        public int actionDim() { return 2; }
        public boolean usesPreviousChunk() { return true; }
        public void predict(float[] obs, float[] prev, int batch, float[] out) { System.arraycopy(prev, 0, out, 0, batch * 32); }
    }

    static ModelSource models() {
        float[] s = new float[20], o = new float[20];
        java.util.Arrays.fill(s, 1f / 256);
        java.util.Arrays.fill(o, -1f);
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.affine(s, o),
                LinearNormalizer.affine(new float[] {1f / 256, 1f / 256}, new float[] {-1f, -1f}));
        return m -> new PolicyModels(SHAPE, new TowardsCentre(), norm, new CopyPrevious(), norm);
    }

    @Test
    void resultsDoNotDependOnThreadsAndOutputsAreWritten(@TempDir Path dir) throws Exception {
        List<MethodSpec> specs = MethodSpec.parseList("ddim:2,step:2,temporal:2");
        Evaluator ev = new Evaluator(2, 40);
        List<MethodResult> one = new ArrayList<>(), two = new ArrayList<>();
        for (MethodSpec spec : specs) {
            one.add(new ClosedLoopEvaluation(models(), InferenceSettings.defaults(), ev, 1).run(spec, 100000, 3, 1, dir, null));
            two.add(new ClosedLoopEvaluation(models(), InferenceSettings.defaults(), ev, 2).run(spec, 100000, 3, 0, null, null));
        }
        for (int i = 0; i < specs.size(); i++) {
            assertEquals(one.get(i).episodeScores(), two.get(i).episodeScores(), specs.get(i).label());
            assertEquals(3, one.get(i).episodes());
            assertTrue(one.get(i).latency().calls() >= 3 * 5, "40 steps / 8 actions = 5 calls per episode");
        }
        assertTrue(Files.size(dir.resolve("step-2_seed100000.gif")) > 1000);

        EvalReport.write(one, dir, "test");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(3, json.size());
        for (String key : List.of("method", "steps", "episodes", "mean_score", "success_rate", "latency_ms_median", "latency_ms_p95"))
            assertTrue(json.get(0).has(key), key);
        assertEquals("step:2", json.get(1).get("method").asText());
        String md = Files.readString(dir.resolve("results.md"));
        assertTrue(md.contains("| temporal:2 | 2 | 3 |"), md);
        assertTrue(Files.size(dir.resolve("score_vs_latency.png")) > 2000);
    }
}
