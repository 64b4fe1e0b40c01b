package org.steppolicy.infer.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.GaussianNoise;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PlanMemory;
import org.steppolicy.infer.ChunkPlanner;
import org.steppolicy.infer.PolicyShape;

/**
 * The Java side of the cross-runtime check of {@value FusedOnnx#FILE} ({@code export-onnx --fused-check FILE}): runs
 * the Java engine (ChunkPlanner on ONNX Runtime over dp.onnx / predictor.onnx) for a few seeded calls of one episode,
 * writes each call's inputs (raw observation window, previous raw chunk, noise, first_call) with the engine's outputs
 * to a JSON file that {@code scripts/fused_onnx_check.mjs} feeds to the fused file in another runtime, and times
 * batch-1 calls of the engine and of the fused file on Java's ONNX Runtime (median over {@code runs}).
 */
public final class FusedCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the Java side measured. */
    public record Summary(double maxRelActionDiffJavaOrt, double engineMedianMs, double fusedJavaMedianMs, int runs) {}

    private FusedCheck() {}

    public static Summary write(Path exportDir, MethodConfig m, Path file, int calls, int runs, int threads) throws IOException {
        OnnxExportFolder folder = OnnxExportFolder.read(exportDir);
        if (folder.fusedMethod() == null) throw new UserError(exportDir + ": the export has no " + FusedOnnx.FILE);
        PolicyShape s = folder.shape();
        int n = s.chunkSize(), da = s.actionDim();
        LinearNormalizer obsN = folder.normalization().obs(), actN = folder.normalization().action();
        SplittableRandom r = new SplittableRandom(20260);
        ObjectNode root = JSON.createObjectNode();
        root.put("method", m.label());
        root.put("file", FusedOnnx.FILE);
        root.put("tolerance_note", "actions compared as |fused - java| / max(1, |java|); chunks in normalised units");
        ArrayNode scale = root.putArray("action_scale");
        for (float v : actN.scale()) scale.add(v);
        ArrayNode arr = root.putArray("calls");
        double worst = 0;
        PolicyModels models = folder.open(m.method().predictorKind(), threads);
        try (FusedOnnxSession fused = new FusedOnnxSession(Files.readAllBytes(exportDir.resolve(FusedOnnx.FILE)), s, threads)) {
            ChunkPlanner planner = new ChunkPlanner(models, m);
            PlanMemory memory = planner.newMemory(); // one episode; its noise is replaced by each call's replay
            float[] prev = new float[n], chunk = new float[n], obs = null, noise = null;
            for (int c = 0; c < calls; c++) {
                obs = new float[s.condDim()];
                double[][] window = new double[s.obsSteps()][s.obsDim()];
                for (int t = 0; t < s.obsSteps(); t++)
                    for (int d = 0; d < s.obsDim(); d++) {
                        // raw values whose normalised image is uniform in [-1, 1]
                        obs[t * s.obsDim() + d] = (float) ((2 * r.nextDouble() - 1 - obsN.offset()[d]) / obsN.scale()[d]);
                        window[t][d] = obs[t * s.obsDim() + d];
                    }
                noise = new float[n];
                new GaussianNoise(r.nextLong()).fill(noise, 0, n);
                double[][] actions = planner.plan(window, s.actionSteps(), memory, GaussianNoise.replay(noise));
                memory.lastChunk(chunk);
                FusedOnnxSession.Output out = fused.run(obs, prev, noise, c == 0);
                for (int i = 0; i < actions.length; i++)
                    for (int a = 0; a < da; a++)
                        worst = Math.max(worst, Math.abs(actions[i][a] - out.actions()[i][a]) / Math.max(1, Math.abs(actions[i][a])));
                ObjectNode call = arr.addObject();
                put(call.putArray("obs"), obs);
                put(call.putArray("prev_chunk"), prev);
                put(call.putArray("noise"), noise);
                call.put("first_call", c == 0 ? 1 : 0);
                ArrayNode ea = call.putArray("expected_actions");
                for (double[] row : actions) for (double v : row) ea.add(v);
                ArrayNode ec = call.putArray("expected_chunk_normalized");
                for (float v : chunk) ec.add(v);
                for (int j = 0; j < n; j++) prev[j] = (float) actN.unnormalize(j % da, chunk[j]);
            }
            // Timing: warm calls (the last call's inputs again), batch 1, interleaved so that both see the same load.
            double[][] window = new double[s.obsSteps()][s.obsDim()];
            for (int t = 0; t < s.obsSteps(); t++)
                for (int d = 0; d < s.obsDim(); d++) window[t][d] = obs[t * s.obsDim() + d];
            long[] engine = new long[runs], inFile = new long[runs];
            for (int i = -20; i < runs; i++) {
                long t0 = System.nanoTime();
                planner.plan(window, s.actionSteps(), memory, GaussianNoise.replay(noise));
                long t1 = System.nanoTime();
                fused.run(obs, prev, noise, false);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    engine[i] = t1 - t0;
                    inFile[i] = t2 - t1;
                }
            }
            Summary sum = new Summary(worst, median(engine), median(inFile), runs);
            ObjectNode lat = root.putObject("java_latency_ms");
            lat.put("engine_median", sum.engineMedianMs());
            lat.put("fused_file_on_java_ort_median", sum.fusedJavaMedianMs());
            lat.put("runs", runs);
            lat.put("threads", threads);
            root.put("java_ort_fused_max_rel_action_diff", worst);
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
            return sum;
        } finally {
            models.close();
        }
    }

    private static void put(ArrayNode a, float[] v) {
        for (float x : v) a.add(x);
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return (s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0) / 1e6;
    }
}
