package org.steppolicy.infer.policy;

import java.nio.file.Path;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.PlanMemory;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.data.ObservationHistory;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.ChunkPlanner;
import org.steppolicy.infer.PolicyShape;

/**
 * A trained STEP / Diffusion Policy for a Java control loop: load a checkpoint or export-onnx folder with a method
 * ({@code step:2}, {@code ddim:10}, {@code ddpm:100}, ...), then call {@link #act} once per control step.
 *
 * <pre>{@code
 * try (StepPolicy policy = StepPolicy.load(Path.of("runs/policy-onnx"), "step:2")) {
 *     policy.reset();
 *     while (running) robot.apply(policy.act(robot.observe()));
 * }
 * }</pre>
 *
 * Everything the model knows comes from the model: the horizon H, To, Ta, observation and action sizes, the
 * normalisers, and the noise scheduler it was trained with (β schedule, step count, clip_sample, prediction type),
 * which the solvers sample on. An unsupported scheduler is refused at load.
 *
 * <p><b>Threads.</b> A StepPolicy is not thread-safe: use one instance per control loop. Its runtime instances hold
 * reused buffers. It is the one owner of the episode's state: the observation history, the action queue and the
 * {@link PlanMemory} (previous chunks, Falcon's latents, noise) that its {@link ChunkPlanner} plans from and writes,
 * all started afresh by {@link #reset}; the planner keeps none of it. The loaded
 * models behind it ({@link TrainedPolicy}) are immutable and shared read-only: {@link #newSession()} makes another
 * policy on the same models for another robot or thread, with fresh runtime instances and state of its own.
 *
 * <p><b>Errors.</b> Loading problems (missing or unreadable files, unsupported scheduler, a method that needs a
 * predictor that was not given) are {@link UserError}s with one-line messages. Calling with an observation of the
 * wrong size is an {@link IllegalArgumentException}.
 */
public final class StepPolicy implements AutoCloseable {
    private static final double[][] EMPTY = new double[0][];

    private final ModelSource source;
    private final MethodConfig method;
    private final long seed;
    private final PolicyModels models;
    private final ChunkPlanner planner;
    private final PlanMemory memory;
    private final PolicyInfo info;
    private final ObservationHistory history;
    private final double[] observation;  // one observation widened to double, reused
    private final float[] chunk;         // the last normalised chunk [H*Da]
    private double[][] pending = EMPTY;  // the executed slice of the last model call, consumed by act()
    private int next;
    private boolean called, closed;

    private StepPolicy(ModelSource source, MethodConfig method, long seed) {
        this.source = source;
        this.method = method;
        this.seed = seed;
        this.models = source.open(method.method());
        try {
            this.planner = new ChunkPlanner(models, method);
        } catch (IllegalArgumentException e) {
            models.close();
            throw new UserError("method " + method.label() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
        PolicyShape s = models.shape();
        this.info = new PolicyInfo(s.obsDim(), s.actionDim(), s.obsSteps(), s.actionSteps(), s.horizon(), method.label(),
                models.scheduler(), source.provenance());
        this.history = new ObservationHistory(s.obsSteps(), s.obsDim());
        this.observation = new double[s.obsDim()];
        this.chunk = new float[s.chunkSize()];
        this.memory = planner.newMemory();
        memory.reset(seed);
    }

    /** Loads {@code dir} (a run, checkpoint or export-onnx folder) for {@code method} with the default options. */
    public static StepPolicy load(Path dir, String method) {
        return load(dir, method, PolicyOptions.defaults());
    }

    /**
     * Loads {@code dir} for {@code method}; the options add predictor checkpoints (when the DP folder holds none),
     * the runtime, threads, inference settings and the noise seed.
     */
    public static StepPolicy load(Path dir, String method, PolicyOptions options) {
        MethodSpec spec = parse(method);
        return open(TrainedPolicy.load(dir, options.predictors()), spec, options);
    }

    /** A policy on models already loaded (options' predictors are not read here). */
    public static StepPolicy open(TrainedPolicy models, String method, PolicyOptions options) {
        return open(models, parse(method), options);
    }

    public static StepPolicy open(TrainedPolicy models, MethodSpec method, PolicyOptions options) {
        models.requirePredictor(method.label(), method.method());
        return new StepPolicy(models.source(options.runtime(), options.threads()), method.config(options.settings()),
                options.seed());
    }

    /** A policy over a model source and a resolved method (evaluation, tests); the noise is seeded 0 until reset(seed). */
    public static StepPolicy open(ModelSource models, MethodConfig method) {
        return new StepPolicy(models, method, 0);
    }

    private static MethodSpec parse(String method) {
        try {
            return MethodSpec.parse(method);
        } catch (IllegalArgumentException e) {
            throw new UserError("method '" + method + "': " + e.getMessage(), e);
        }
    }

    /**
     * Another policy on the same loaded models and method, with its own runtime instances and episode state (one
     * per robot or thread); its noise starts from this policy's initial seed.
     */
    public StepPolicy newSession() {
        return new StepPolicy(source, method, seed);
    }

    /** Starts an episode: forgets the observation history, the queued actions and the previous chunk; the noise goes on. */
    public void reset() {
        checkOpen();
        memory.reset();
        clearEpisode();
    }

    /** Starts an episode and reseeds the noise: the same seed and observations give the same actions. */
    public void reset(long seed) {
        checkOpen();
        memory.reset(seed);
        clearEpisode();
    }

    private void clearEpisode() {
        history.reset();
        pending = EMPTY;
        next = 0;
        called = false;
    }

    /**
     * One control step: records the observation (after a reset it fills the whole To history), runs the model when
     * the queue of Ta actions is empty, and returns the next action (raw units, actionDim values, a new array).
     */
    public float[] act(float[] observation) {
        checkSize(observation.length);
        for (int i = 0; i < observation.length; i++) this.observation[i] = observation[i];
        double[] a = step(this.observation);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) a[i];
        return out;
    }

    /** {@link #act(float[])} in double precision end to end (e.g. for a simulator that steps in double). */
    public double[] act(double[] observation) {
        checkSize(observation.length);
        return step(observation).clone();
    }

    private double[] step(double[] obs) {
        checkOpen();
        history.push(obs);
        if (next == pending.length) {
            pending = modelCall(history.window());
            next = 0;
        }
        return pending[next++];
    }

    /**
     * One model call for callers that keep their own observation history: the last To rows of {@code obsWindow}
     * (oldest first, raw) give the Ta actions to execute, raw. It shares the previous chunk (warm start) with
     * {@link #act} but not act's history and queue: use one or the other within an episode.
     */
    public float[][] predictChunk(float[][] obsWindow) {
        double[][] w = new double[obsWindow.length][];
        for (int s = 0; s < w.length; s++) {
            w[s] = new double[obsWindow[s].length];
            for (int i = 0; i < w[s].length; i++) w[s][i] = obsWindow[s][i];
        }
        double[][] a = predictChunk(w);
        float[][] out = new float[a.length][];
        for (int s = 0; s < a.length; s++) {
            out[s] = new float[a[s].length];
            for (int i = 0; i < a[s].length; i++) out[s][i] = (float) a[s][i];
        }
        return out;
    }

    /** {@link #predictChunk(float[][])} in double precision end to end (closed-loop evaluation uses this). */
    public double[][] predictChunk(double[][] obsWindow) {
        return predictChunk(obsWindow, info.actionSteps());
    }

    /**
     * One model call whose newest observation was taken {@code executed} control periods after the previous call's
     * (an asynchronous client asks for the next chunk before the Ta actions are used up): the warm start uses the
     * previous chunk as executed, shifted by that count instead of Ta (ChunkPlanner's class comment says how the STEP
     * predictor's input is realigned). {@code predictChunk(w)} is {@code predictChunk(w, Ta)}, bit for bit.
     */
    public double[][] predictChunk(double[][] obsWindow, int executed) {
        checkOpen();
        return modelCall(obsWindow, executed);
    }

    private double[][] modelCall(double[][] window) {
        return modelCall(window, info.actionSteps());
    }

    private double[][] modelCall(double[][] window, int executed) {
        double[][] actions = planner.plan(window, executed, memory);
        called = true;
        return actions;
    }

    /** The whole horizon of the last model call, H actions of actionDim values, raw; the executed Ta start at To−1. */
    public float[][] lastHorizon() {
        checkOpen();
        if (!called) throw new IllegalStateException("no model call since the last reset");
        memory.lastChunk(chunk);
        LinearNormalizer act = models.normalization().action();
        int h = info.horizon(), da = info.actionDim();
        float[][] out = new float[h][da];
        for (int i = 0; i < h; i++)
            for (int a = 0; a < da; a++) out[i][a] = (float) act.unnormalize(a, chunk[i * da + a]);
        return out;
    }

    /**
     * The last model call's whole chunk in the model's normalised units (H·actionDim floats, row-major, into out):
     * offline evaluation scores it against the normalised demonstrations, as the reference does.
     */
    public void lastNormalizedChunk(float[] out) {
        checkOpen();
        if (!called) throw new IllegalStateException("no model call since the last reset");
        memory.lastChunk(out);
    }

    /** The action normaliser between raw units and the model's (what {@link #lastNormalizedChunk} is in). */
    public LinearNormalizer actionNormalization() {
        return models.normalization().action();
    }

    /**
     * Timing of the last model call (null before the first): total, predictor and diffusion nanoseconds, whether it
     * was a cold start (full diffusion because no previous chunk exists yet), and whether the velocity-aware
     * perturbation fired ({@link CallLatency#stalled()}).
     */
    public CallLatency lastLatency() {
        return memory.lastCall();
    }

    public PolicyInfo info() { return info; }

    /** Frees the runtime instances; the loaded models stay usable by other sessions. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        models.close();
    }

    private void checkSize(int length) {
        if (length != info.obsDim())
            throw new IllegalArgumentException("observation has " + length + " values, expected " + info.obsDim());
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the policy is closed");
    }
}
