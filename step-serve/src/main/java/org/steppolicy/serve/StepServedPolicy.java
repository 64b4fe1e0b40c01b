package org.steppolicy.serve;

import org.steppolicy.data.Matrices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.policy.ModelSource;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.infer.policy.TrainedPolicy;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.ImageObsSpec;

/**
 * The adapter from step-infer's {@link StepPolicy} to {@link ServedPolicy}: the trained policy is loaded once
 * ({@link TrainedPolicy}), its networks get a few runtime instances ({@link ModelPool}), and every session is a
 * StepPolicy over those instances, with its own history, previous chunk, noise and perturbation state.
 *
 * <p>StepPolicy's own {@code newSession()} opens fresh runtime instances per session (an ONNX Runtime session per
 * network per robot); the server instead shares one pool of instances among its sessions, so memory and the time of
 * OpenSession do not grow with the number of robots. A runtime instance is only ever used by one forward at a time.
 */
public final class StepServedPolicy implements ServedPolicy {

    /**
     * How to serve the models.
     *
     * @param defaultMethod the method of sessions that name none
     * @param methods       further methods sessions may ask for (the default is always allowed)
     * @param settings      the inference settings every method spec is resolved against (the config's inference section)
     * @param instances     runtime instances of each network: the number of forwards run at the same time
     * @param maxBatch      at most this many sessions' forwards run as one batched forward of an instance; 1: no
     *                      batching, each session's forward runs alone
     * @param batchWindow   how long a forward may wait for sessions that are computing a chunk and about to call the
     *                      same network (it never waits when no other session is computing)
     */
    public record Options(String defaultMethod, List<String> methods, InferenceSettings settings, RuntimeKind runtime,
                          int instances, int maxBatch, Duration batchWindow) {
        /** Batches of up to 8 sessions, waiting at most 2 ms for sessions about to join. */
        public static final int DEFAULT_MAX_BATCH = 8;
        public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(2);

        public Options {
            methods = List.copyOf(methods);
            if (instances < 1) throw new UserError("the server needs at least one model instance, got " + instances);
            if (maxBatch < 1) throw new UserError("the largest batch must be at least 1 (no batching), got " + maxBatch);
            if (batchWindow.isNegative()) throw new UserError("the batch window must not be negative, got " + batchWindow);
        }

        /** No batching: every session's forward runs alone on one of the instances. */
        public Options(String defaultMethod, List<String> methods, InferenceSettings settings, RuntimeKind runtime, int instances) {
            this(defaultMethod, methods, settings, runtime, instances, 1, Duration.ZERO);
        }

        public static Options of(String defaultMethod) {
            return new Options(defaultMethod, List.of(), InferenceSettings.defaults(), RuntimeKind.ONNX,
                    Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_BATCH, DEFAULT_BATCH_WINDOW);
        }

        public Options withBatching(int max, Duration window) {
            return new Options(defaultMethod, methods, settings, runtime, instances, max, window);
        }
    }

    private final PolicyInfo info;
    private final Map<String, MethodConfig> methods = new LinkedHashMap<>();
    private final Map<String, ModelSource> sources = new HashMap<>();
    private final List<ModelPool<?>> pools = new ArrayList<>();
    private final int instances;
    private final ForwardBatcher batcher;

    /** A DP checkpoint (or run, or export-onnx folder) with its predictor checkpoints. */
    public static StepServedPolicy load(Path dir, List<Path> predictorDirs, Options o) {
        return new StepServedPolicy(TrainedPolicy.load(dir, predictorDirs), o, imageSpec(dir));
    }

    /** Bundles in memory (random weights, tests). */
    public static StepServedPolicy of(PolicyBundle dp, List<PredictorBundle> predictors, String provenance, Options o) {
        List<PredictorBundle> preds = new ArrayList<>(predictors);
        if (dp.predictor() != null) preds.add(0, dp.predictor());
        return new StepServedPolicy(TrainedPolicy.of(dp, preds, provenance), o, dp.hasImages() ? dp.encoder().spec() : null);
    }

    /** An image DP checkpoint's observation layout (meta.json only); null for low-dim policies and export folders. */
    private static ImageObsSpec imageSpec(Path dir) {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve("policy.json"))) return null;
        try {
            return ImageObsSpec.fromArch(Checkpoint.readMeta(Checkpoint.resolve(dir)).arch().get("image"));
        } catch (RuntimeException e) {
            return null; // the load itself has already read and checked the checkpoint
        }
    }

    /**
     * Every method is resolved and checked here (a missing predictor or a mismatched normaliser fails before the
     * server starts), and the runtime instances are opened.
     */
    public StepServedPolicy(TrainedPolicy trained, Options o, ImageObsSpec image) {
        this.instances = o.instances();
        this.batcher = o.maxBatch() > 1 ? new ForwardBatcher(o.maxBatch(), o.batchWindow()) : null;
        List<String> labels = new ArrayList<>();
        labels.add(o.defaultMethod());
        labels.addAll(o.methods());
        for (String text : labels) {
            try {
                MethodSpec spec = MethodSpec.parse(text);
                methods.putIfAbsent(spec.label(), spec.config(o.settings()));
            } catch (IllegalArgumentException e) {
                throw new UserError("method '" + text + "': " + e.getMessage());
            }
        }
        try {
            openPools(trained, o.runtime());
            for (Map.Entry<String, MethodConfig> m : methods.entrySet()) StepPolicy.open(sources.get(m.getKey()), m.getValue()).close();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("models", trained.provenance());
        provenance.put("runtime", o.runtime().id());
        provenance.put("scheduler", String.valueOf(trained.scheduler()));
        provenance.put("instances", Integer.toString(instances));
        provenance.put("max_batch", Integer.toString(o.maxBatch()));
        this.info = new PolicyInfo(trained.shape(), List.copyOf(methods.keySet()), methods.keySet().iterator().next(),
                provenance, image);
    }

    /**
     * One pool for the DP, shared by every method, and one per predictor kind the methods read. TrainedPolicy opens a
     * DP with each predictor; the DPs beyond the pool's are closed at once.
     */
    private void openPools(TrainedPolicy trained, RuntimeKind runtime) {
        Map<String, Method> byKind = new LinkedHashMap<>();
        Method first = null;
        for (MethodConfig m : methods.values()) {
            String kind = m.method().predictorKind();
            if (kind != null) byKind.putIfAbsent(kind, m.method());
            if (first == null) first = m.method();
        }
        List<PolicyModels> opened = new ArrayList<>();
        Map<String, List<ChunkPredictor>> predictors = new HashMap<>();
        List<Denoiser> denoisers = new ArrayList<>();
        List<org.steppolicy.infer.BridgeNetwork> bridges = new ArrayList<>();
        PolicyModels template = null;
        Map<String, PolicyModels> templates = new HashMap<>();
        try {
            for (int i = 0; i < instances; i++) {
                if (byKind.isEmpty()) {
                    PolicyModels m = trained.open(first, runtime, 1);
                    opened.add(m);
                    denoisers.add(m.denoiser());
                    template = m;
                }
                for (Map.Entry<String, Method> k : byKind.entrySet()) {
                    PolicyModels m = trained.open(k.getValue(), runtime, 1);
                    opened.add(m);
                    if (m.bridger() != null) bridges.add(m.bridger().network());   // bridger:K's networks, pooled like a predictor
                    else predictors.computeIfAbsent(k.getKey(), x -> new ArrayList<>()).add(m.predictor());
                    templates.putIfAbsent(k.getKey(), m);
                    if (template == null) template = m;
                    if (denoisers.size() <= i) denoisers.add(m.denoiser());
                    else m.denoiser().close();
                }
            }
        } catch (RuntimeException e) {
            for (PolicyModels m : opened) closeQuietly(m);
            throw e;
        }
        ModelPool<Denoiser> dpPool = new ModelPool<>(denoisers);
        pools.add(dpPool);
        Denoiser dp = batcher != null ? batcher.denoiser(dpPool) : ModelPool.denoiser(dpPool);
        Map<String, ChunkPredictor> shared = new HashMap<>();
        for (Map.Entry<String, List<ChunkPredictor>> k : predictors.entrySet()) {
            ModelPool<ChunkPredictor> pool = new ModelPool<>(k.getValue());
            pools.add(pool);
            shared.put(k.getKey(), batcher != null ? batcher.predictor(pool) : ModelPool.predictor(pool));
        }
        org.steppolicy.infer.BridgeNetwork bridge = null;
        if (!bridges.isEmpty()) {
            ModelPool<org.steppolicy.infer.BridgeNetwork> pool = new ModelPool<>(bridges);
            pools.add(pool);
            bridge = ModelPool.bridge(pool);
        }
        for (Map.Entry<String, MethodConfig> m : methods.entrySet()) {
            String kind = m.getValue().method().predictorKind();
            PolicyModels t = kind == null ? template : templates.get(kind);
            if (t.bridger() != null) {
                org.steppolicy.infer.BridgerModel b = t.bridger();
                PolicyModels models = new PolicyModels(t.shape(), dp, t.normalization(), null, null, t.scheduler())
                        .withBridger(new org.steppolicy.infer.BridgerModel(bridge, b.interpolant(), b.source(), b.normalization()));
                sources.put(m.getKey(), method -> models);
                continue;
            }
            // The pool's views have no-op close(): a session's StepPolicy.close() leaves the shared instances open.
            PolicyModels models = new PolicyModels(t.shape(), dp, t.normalization(), kind == null ? null : shared.get(kind),
                    kind == null ? null : t.predictorNormalization(), t.scheduler());
            sources.put(m.getKey(), method -> models);
        }
    }

    private static void closeQuietly(PolicyModels m) {
        try {
            m.close();
        } catch (RuntimeException ignored) {
            // some of its instances may be closed already; this only frees memory
        }
    }

    @Override
    public PolicyInfo info() { return info; }

    @Override
    public BatchStats batchStats() { return batcher == null ? null : batcher.stats(); }

    @Override
    public int concurrency() { return batcher != null ? instances * batcher.maxBatch() : instances; }

    @Override
    public SessionPolicy openSession(String method) {
        String label = method == null || method.isBlank() ? info.defaultMethod() : MethodSpec.parse(method).label();
        MethodConfig config = methods.get(label);
        if (config == null) throw new IllegalArgumentException("method '" + label + "' is not served here (allowed: " + info.methods() + ")");
        return new Session(StepPolicy.open(sources.get(label), config), batcher);
    }

    @Override
    public void close() {
        for (ModelPool<?> p : pools) p.close();
        pools.clear();
    }

    /** One robot's StepPolicy. */
    private static final class Session implements SessionPolicy {
        private final StepPolicy policy;
        private final ForwardBatcher batcher;
        private ComputeTime last;

        Session(StepPolicy policy, ForwardBatcher batcher) {
            this.policy = policy;
            this.batcher = batcher;
        }

        @Override
        public String method() { return policy.info().method(); }

        @Override
        public void reset(long seed) { policy.reset(seed); }

        @Override
        public Chunk predictChunk(double[][] window, boolean fullHorizon) {
            return predictChunk(window, policy.info().actionSteps(), fullHorizon);
        }

        @Override
        public Chunk predictChunk(double[][] window, int executed, boolean fullHorizon) {
            double[][] actions;
            if (batcher == null) {
                actions = policy.predictChunk(window, executed);
            } else {
                batcher.enterChunk();
                try {
                    actions = policy.predictChunk(window, executed);
                } finally {
                    batcher.exitChunk();
                }
            }
            CallLatency l = policy.lastLatency();
            last = new ComputeTime(l.totalNanos(), l.predictorNanos(), l.diffusionNanos(), l.coldStart(), l.stalled());
            return new Chunk(actions, fullHorizon ? Matrices.widen(policy.lastHorizon()) : null);
        }


        @Override
        public ComputeTime lastLatency() { return last; }

        @Override
        public void close() { policy.close(); }
    }
}
