package org.steppolicy.infer;

import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.models.DiffusionSchedule;
import java.util.EnumMap;
import java.util.Map;

/**
 * The chunk planner behind one {@code org.steppolicy.infer.policy.StepPolicy} (docs/design.md, "data flow of one
 * control step"): observation window → normaliser → [predictor on the cached chunk] → warm start or noise → solver →
 * unnormalise → executed slice; the chunk goes back into the memory's cache. The solvers sample on the scheduler the
 * models were trained with ({@link PolicyModels#scheduler()}: β schedule, step count, clip_sample, prediction type).
 * All buffers are allocated here; a call allocates only its returned action array and its {@link CallLatency}. Not
 * thread-safe.
 *
 * <p><b>State.</b> None of the episode's: a call plans one chunk from the observation window it is given and the
 * episode's {@link PlanMemory} (previous chunks, Falcon's latents, noise), which it updates. The episode's owner
 * (StepPolicy) holds that memory with the observation history and the action queue, and alone resets them. What is kept
 * here is the models, the solvers and scratch buffers.
 *
 * <p><b>Executed count.</b> {@link #plan(double[][], int, PlanMemory)} takes k, the control periods between the
 * previous call's newest observation and this one's (how far the previous chunk's timeline has advanced: Ta for a robot
 * that executes each chunk's Ta actions and then calls, fewer for an asynchronous client that asks for the next chunk
 * early). The temporal start shifts the previous chunk by k, edge-padded at the end. The STEP predictor was trained on
 * a previous chunk aligned Ta steps back, so it is given the cached chunk realigned to that: shifted by k − Ta,
 * edge-padded at either end (for k &lt; Ta the first Ta − k actions repeat the cached chunk's first one), so that each
 * of its indices means the same time as in training rather than being Ta − k steps off. k = Ta is today's route, bit
 * for bit.
 */
public final class ChunkPlanner {
    private final MethodConfig method;
    private final PolicyModels models;
    private final PolicyShape shape;
    private final Denoiser dp;
    private final ChunkPredictor predictor;
    private final LinearNormalizer obsNorm, actNorm;
    private final boolean inpainting;
    private final boolean needsCache;
    private final int trajDim, n;

    private final Solver solver;
    private final Solver coldSolver;
    private final int[] timesteps;
    private final int[] coldTimesteps;
    private final WarmStart warmStart;
    private final VelocityPerturbation perturbation;
    private final boolean usesFalcon; // falcon:K: its sampler and latent buffer are in each PlanMemory
    private final FalconConfig falconConfig;
    private final DiffusionSchedule schedule;
    private final boolean clip;
    private final BridgerSampler bridger; // bridger:K's integrator, null for the other methods
    private final SampleConstraint constraint;

    private final float[] obsBuf;    // [To*Do] normalised window, time-major: the DP's condition and the predictor's obs
    private final float[] x;         // [H*D] the sample
    private final float[] estimate;  // [H*D] the warm start's clean estimate
    private final float[] pred;      // [H*Da] predictor / shifted-chunk estimate
    private final float[] zeros;     // [H*Da] "previous chunk" for obs-only predictors, which ignore it
    private final float[] realigned; // [H*Da] the cached chunk realigned for the predictor when k != Ta
    private final float[] chunk;     // [H*Da] this call's chunk, normalised, before it joins the memory's cache

    public ChunkPlanner(PolicyModels models, MethodConfig method) {
        CompatibilityCheck.check(method, models.shape(), models.denoiser(), models.normalization(), models.predictor(),
                models.predictorNormalization(), models.bridger());
        this.method = method;
        this.models = models;
        this.shape = models.shape();
        this.dp = models.denoiser();
        this.predictor = method.method().usesPredictor() ? models.predictor() : null;
        this.obsNorm = models.normalization().obs();
        this.actNorm = models.normalization().action();
        this.inpainting = models.inpainting();
        this.trajDim = dp.inputDim();
        this.n = shape.horizon() * trajDim;
        Method.Start start = method.method().start();
        this.needsCache = start == Method.Start.PREVIOUS_CHUNK || (predictor != null && predictor.usesPreviousChunk());

        SchedulerConfig scheduler = models.scheduler();
        this.schedule = scheduler.noiseSchedule();
        // The method may override the model's clip_sample; the prediction type is the network's, never overridden.
        this.clip = method.clipSample() != null ? method.clipSample() : scheduler.clipSample();
        Map<SolverKind, Solver> solvers = new EnumMap<>(SolverKind.class);
        this.solver = solvers.computeIfAbsent(method.solver(), k -> k.create(schedule, clip, scheduler.predictionType()));
        this.timesteps = method.timesteps(schedule);
        ColdStartConfig cold = method.coldStart();
        this.coldSolver = solvers.computeIfAbsent(cold.solver(), k -> k.create(schedule, clip, scheduler.predictionType()));
        this.coldTimesteps = coldSolver.timesteps(cold.steps(schedule.steps()));
        this.usesFalcon = start == Method.Start.PARTIAL_LATENT;
        this.falconConfig = method.falcon();
        if (usesFalcon) newFalcon(); // a falcon config that does not fit the solver fails here, not at the first episode
        this.bridger = method.method() == Method.BRIDGER ? new BridgerSampler(models.bridger().interpolant(), method.bridger()) : null;
        this.warmStart = new WarmStart(schedule, method.warmStart());
        this.perturbation = new VelocityPerturbation(method.perturbation(), method.warmStart());

        this.obsBuf = new float[shape.condDim()];
        this.x = new float[n];
        this.estimate = new float[n];
        this.pred = new float[shape.chunkSize()];
        this.zeros = new float[shape.chunkSize()];
        this.realigned = new float[shape.chunkSize()];
        this.chunk = new float[shape.chunkSize()];
        this.constraint = inpainting ? this::pinObservedChannels : SampleConstraint.NONE;
    }

    public MethodConfig method() { return method; }

    public PolicyModels models() { return models; }

    /** An empty memory for one episode of this runner's method (seeded 0 until its owner resets it). */
    public PlanMemory newMemory() {
        return new PlanMemory(shape.chunkSize(), usesFalcon ? newFalcon() : null);
    }

    private FalconSampler newFalcon() {
        return new FalconSampler(falconConfig, schedule, solver, timesteps, shape, trajDim, clip, models.scheduler().predictionType());
    }

    /**
     * One model call. obsHistory: at least To raw observations, oldest first (the last To are used). Returns the Ta
     * actions to execute, raw, chunk indices To−1 … To−1+Ta−1; the chunk joins the memory.
     */
    public double[][] plan(double[][] obsHistory, PlanMemory memory) {
        return plan(obsHistory, shape.actionSteps(), memory, memory.noise);
    }

    /**
     * One model call whose observation was taken {@code executed} control periods after the previous call's (k in
     * the class comment; {@code plan(obs, m)} is {@code plan(obs, Ta, m)}). The temporal start shifts the previous
     * chunk by k and the STEP predictor sees it realigned by k − Ta. Ignored on a cold start. k ≥ 1.
     */
    public double[][] plan(double[][] obsHistory, int executed, PlanMemory memory) {
        return plan(obsHistory, executed, memory, memory.noise);
    }

    /**
     * The model call all others are: executed count k, and the noise of this call from {@code callNoise} instead of
     * the memory's stream (which is then left untouched): e.g. {@link GaussianNoise#replay} of the values fed to the
     * fused ONNX file's {@code noise} input. A warm start with σ_t = 0 or a DDIM chain from noise draws H·D values in
     * sample order; DDPM draws more per step.
     */
    public double[][] plan(double[][] obsHistory, int executed, PlanMemory memory, GaussianNoise callNoise) {
        GaussianNoise noise = java.util.Objects.requireNonNull(callNoise, "callNoise");
        ActionCache cache = memory.cache;
        FalconSampler falcon = memory.falcon;
        if (usesFalcon != (falcon != null)) throw new IllegalArgumentException("the memory is not of this runner's method");
        if (executed < 1) throw new IllegalArgumentException("executed count " + executed + ": must be at least 1");
        long t0 = System.nanoTime();
        int to = shape.obsSteps(), doDim = shape.obsDim();
        if (obsHistory.length < to)
            throw new IllegalArgumentException("observation history has " + obsHistory.length + " steps, need " + to);
        for (int s = 0; s < to; s++) {
            double[] o = obsHistory[obsHistory.length - to + s];
            if (o.length != doDim) throw new IllegalArgumentException("observation has " + o.length + " values, expected " + doDim);
            obsNorm.normalize(o, obsBuf, s * doDim);
        }

        long predNanos = 0, diffNanos = 0;
        boolean cold = false, stalled = false;
        double velocityNorm = Double.NaN;
        Method.Start start = method.method().start();
        if (start == Method.Start.SOURCE_POLICY) {
            // BRIDGeR: the source's sample (in the action-chunk layout), bridged to t = 1 by its own networks
            long d0 = System.nanoTime();
            models.bridger().source().sample(obsBuf, 1, noise, chunk);
            bridger.run(models.bridger().network(), method.steps(), chunk, obsBuf, 1, noise);
            diffNanos = System.nanoTime() - d0;
        } else if (start == Method.Start.PARTIAL_LATENT) {
            cold = !falcon.hasPrevious(); // Falcon's first call: its host solver from noise (no DDPM cold start)
            long d0 = System.nanoTime();
            falcon.run(dp, obsBuf, noise, constraint, x);
            diffNanos = System.nanoTime() - d0;
            copyActions(x, chunk);
        } else if (start == Method.Start.NOISE || (needsCache && cache.size() == 0)) {
            cold = start != Method.Start.NOISE;
            Solver s = cold ? coldSolver : solver;
            int[] ts = cold ? coldTimesteps : timesteps;
            noise.fill(x, 0, n);
            long d0 = System.nanoTime();
            s.run(dp, ts, x, obsBuf, 1, noise, constraint);
            diffNanos = System.nanoTime() - d0;
            copyActions(x, chunk);
        } else {
            if (start == Method.Start.PREVIOUS_CHUNK) {
                shift(cache.latest(), executed, pred);
            } else {
                float[] prev = !predictor.usesPreviousChunk() ? zeros
                        : executed == shape.actionSteps() ? cache.latest()
                        : shift(cache.latest(), executed - shape.actionSteps(), realigned);
                long p0 = System.nanoTime();
                predictor.predict(obsBuf, prev, 1, pred);
                predNanos = System.nanoTime() - p0;
            }
            if (start == Method.Start.PREDICTOR_ONLY) {
                System.arraycopy(pred, 0, chunk, 0, chunk.length);
            } else {
                perturbation.update(cache);
                stalled = perturbation.stalled();
                velocityNorm = perturbation.lastNorm();
                fillEstimate(pred, estimate);
                warmStart.form(estimate, n, timesteps[0], perturbation.sigma(), perturbation.sigmaT(), noise, x);
                long d0 = System.nanoTime();
                solver.run(dp, timesteps, x, obsBuf, 1, noise, constraint);
                diffNanos = System.nanoTime() - d0;
                copyActions(x, chunk);
            }
        }
        cache.push(chunk);
        double[][] out = executedSlice();
        memory.last = new CallLatency(predNanos, diffNanos, System.nanoTime() - t0, cold, stalled, velocityNorm);
        return out;
    }

    private double[][] executedSlice() {
        int da = shape.actionDim();
        double[][] out = new double[shape.actionSteps()][da];
        for (int i = 0; i < out.length; i++) {
            int h = shape.firstExecuted() + i;
            for (int a = 0; a < da; a++) out[i][a] = actNorm.unnormalize(a, chunk[h * da + a]);
        }
        return out;
    }

    /** Action channels of a trajectory [H, D] (actions first, §B.1 inpainting layout) into a chunk [H, Da]. */
    private void copyActions(float[] traj, float[] dst) {
        int da = shape.actionDim();
        for (int h = 0; h < shape.horizon(); h++) System.arraycopy(traj, h * trajDim, dst, h * da, da);
    }

    /**
     * The clean-trajectory estimate: predicted actions; with inpainting the obs channels hold the observed window and,
     * after it, the current observation held constant (the predictor estimates actions only).
     */
    private void fillEstimate(float[] actions, float[] est) {
        int da = shape.actionDim(), doDim = shape.obsDim(), to = shape.obsSteps();
        for (int h = 0; h < shape.horizon(); h++) {
            System.arraycopy(actions, h * da, est, h * trajDim, da);
            if (inpainting) System.arraycopy(obsBuf, Math.min(h, to - 1) * doDim, est, h * trajDim + da, doDim);
        }
    }

    /**
     * dst[i] = prev[i + by], the index clamped to the chunk (edge padding at either end): the Falcon-style start
     * (by = k, the previous chunk advanced by the executed count, its last action repeated at the end) and the
     * predictor's realignment (by = k − Ta). Returns dst.
     */
    private float[] shift(float[] prev, int by, float[] dst) {
        int da = shape.actionDim(), h = shape.horizon();
        for (int i = 0; i < h; i++) {
            long j = Math.max(0, Math.min((long) i + by, h - 1));
            System.arraycopy(prev, (int) j * da, dst, i * da, da);
        }
        return dst;
    }

    /** Inpainting: the obs channels of steps 0..To−1 are the normalised observed window (§B.1). */
    private void pinObservedChannels(float[] traj) {
        int da = shape.actionDim(), doDim = shape.obsDim();
        for (int h = 0; h < shape.obsSteps(); h++) System.arraycopy(obsBuf, h * doDim, traj, h * trajDim + da, doDim);
    }
}
