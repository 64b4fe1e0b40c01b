package org.steppolicy.serve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.Method;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.Normalization;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PolicyRunner;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.models.Checkpoint;

/**
 * The adapter from today's step-infer (PolicyLoader + PolicyRunner) to {@link ServedPolicy}: the networks are loaded
 * once into a few runtime instances ({@link ModelPool}) and every session gets its own PolicyRunner over them.
 * When step-infer's StepPolicy lands, a StepPolicy adapter replaces this class and nothing else changes.
 */
public final class RunnerServedPolicy implements ServedPolicy {

    /**
     * How to serve the models.
     *
     * @param defaultMethod the method of sessions that name none
     * @param methods       further methods sessions may ask for (the default is always allowed)
     * @param instances     runtime instances of each network: the number of chunks computed at the same time
     */
    public record Options(String defaultMethod, List<String> methods, InferenceSettings settings, RuntimeKind runtime,
                          int instances) {
        public Options {
            methods = List.copyOf(methods);
            if (instances < 1) throw new UserError("the server needs at least one model instance, got " + instances);
        }

        public static Options of(String defaultMethod) {
            return new Options(defaultMethod, List.of(), InferenceSettings.defaults(), RuntimeKind.ONNX,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    private final PolicyInfo info;
    private final PolicyShape shape;
    private final Normalization actionNorm;
    private final Map<String, MethodConfig> methods = new LinkedHashMap<>();
    private final Map<String, PolicyModels> modelsByMethod = new HashMap<>();
    private final List<ModelPool<?>> pools = new ArrayList<>();
    private final int instances;

    /** A DP checkpoint with its predictor checkpoints (one per kind: step, spatial). */
    public static RunnerServedPolicy load(Path dpDir, List<Path> predictorDirs, Options o) {
        PolicyBundle dp = PolicyLoader.fromCheckpoints(dpDir, null);
        List<PredictorBundle> preds = new ArrayList<>();
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("dp", describe(dpDir));
        for (Path p : predictorDirs) {
            PredictorBundle b = PolicyLoader.predictorFromCheckpoint(p);
            preds.add(b);
            provenance.put("predictor." + b.kind(), describe(p));
        }
        return new RunnerServedPolicy(dp, preds, o, provenance);
    }

    /** Checkpoint directory and training step, e.g. "runs/dp/checkpoints/step-3000 (step 3000)". */
    private static String describe(Path dirOrRun) {
        Path dir = Checkpoint.resolve(dirOrRun);
        return dir + " (step " + Checkpoint.readMeta(dir).step() + ")";
    }

    /**
     * Bundles already in memory (random weights, tests). Methods that fail the compatibility check (missing predictor,
     * mismatched normaliser) fail here, before the server starts.
     */
    public RunnerServedPolicy(PolicyBundle dp, List<PredictorBundle> predictors, Options o, Map<String, String> provenance) {
        this.shape = dp.shape();
        this.actionNorm = dp.normalization().action();
        this.instances = o.instances();
        Map<String, PredictorBundle> byKind = new HashMap<>();
        if (dp.predictor() != null) byKind.put(dp.predictor().kind(), dp.predictor());
        for (PredictorBundle p : predictors) {
            if (byKind.put(p.kind(), p) != null) throw new UserError("two '" + p.kind() + "' predictors given; pass one of each kind");
        }
        List<String> labels = new ArrayList<>();
        labels.add(o.defaultMethod());
        labels.addAll(o.methods());
        for (String text : labels) {
            MethodSpec spec;
            try {
                spec = MethodSpec.parse(text);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            methods.putIfAbsent(spec.label(), spec.config(o.settings()));
        }
        try {
            ModelPool<Denoiser> dpPool = new ModelPool<>(instances, () -> PolicyLoader.denoiser(dp, o.runtime(), 1));
            pools.add(dpPool);
            Denoiser denoiser = ModelPool.denoiser(dpPool);
            Map<String, ChunkPredictor> predictorByKind = new HashMap<>();
            for (Map.Entry<String, MethodConfig> m : methods.entrySet()) {
                String kind = predictorKind(m.getValue().method());
                PredictorBundle p = kind == null ? null : byKind.get(kind);
                if (kind != null && p == null)
                    throw new UserError("method " + m.getKey() + " needs a '" + kind + "' predictor checkpoint (--predictor DIR)");
                ChunkPredictor predictor = kind == null ? null : predictorByKind.computeIfAbsent(kind, k -> {
                    ModelPool<ChunkPredictor> pool = new ModelPool<>(instances, () -> PolicyLoader.predictor(p, o.runtime(), 1));
                    pools.add(pool);
                    return ModelPool.predictor(pool);
                });
                PolicyModels models = new PolicyModels(shape, denoiser, dp.normalization(), predictor,
                        p == null ? null : p.normalization());
                try {
                    new PolicyRunner(models, m.getValue()); // the compatibility check, once per method
                } catch (IllegalArgumentException e) {
                    throw new UserError(m.getKey() + ": " + e.getMessage());
                }
                modelsByMethod.put(m.getKey(), models);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        Map<String, String> prov = new LinkedHashMap<>(provenance);
        prov.put("runtime", o.runtime().id());
        prov.put("instances", Integer.toString(instances));
        this.info = new PolicyInfo(shape, List.copyOf(methods.keySet()), methods.keySet().iterator().next(), prov,
                dp.hasImages() ? dp.encoder().spec() : null);
    }

    /** The predictor kind a method runs on, as in step eval: step and predictor the spatiotemporal one, spatial its own. */
    static String predictorKind(Method m) {
        return switch (m) {
            case STEP, PREDICTOR -> "step";
            case SPATIAL -> "spatial";
            default -> null;
        };
    }

    @Override
    public PolicyInfo info() { return info; }

    @Override
    public int concurrency() { return instances; }

    @Override
    public SessionPolicy openSession(String method) {
        String label = method == null || method.isBlank() ? info.defaultMethod() : MethodSpec.parse(method).label();
        MethodConfig config = methods.get(label);
        if (config == null) throw new IllegalArgumentException("method '" + label + "' is not served here (allowed: " + info.methods() + ")");
        return new RunnerSession(new PolicyRunner(modelsByMethod.get(label), config));
    }

    @Override
    public void close() {
        for (ModelPool<?> p : pools) p.close();
        pools.clear();
    }

    /** One session's PolicyRunner: the runner holds the history-free STEP state (cache, noise, perturbation). */
    private final class RunnerSession implements SessionPolicy {
        private final PolicyRunner runner;
        private final float[] chunk = new float[shape.chunkSize()];
        private ComputeTime last;

        RunnerSession(PolicyRunner runner) { this.runner = runner; }

        @Override
        public String method() { return runner.method().label(); }

        @Override
        public void reset(long seed) { runner.reset(seed); }

        @Override
        public Chunk predictChunk(double[][] window, boolean fullHorizon) {
            double[][] actions = runner.act(window);
            CallLatency l = runner.lastLatency();
            // The runner records every call for the evaluation's summary; a long-lived session must not keep them.
            runner.clearLatencies();
            last = new ComputeTime(l.totalNanos(), l.predictorNanos(), l.diffusionNanos(), l.coldStart(), l.stalled());
            return new Chunk(actions, fullHorizon ? horizon() : null);
        }

        private double[][] horizon() {
            runner.lastChunk(chunk);
            int da = shape.actionDim();
            double[][] out = new double[shape.horizon()][da];
            for (int h = 0; h < out.length; h++)
                for (int a = 0; a < da; a++) out[h][a] = actionNorm.unnormalize(a, chunk[h * da + a]);
            return out;
        }

        @Override
        public ComputeTime lastLatency() { return last; }
    }
}
