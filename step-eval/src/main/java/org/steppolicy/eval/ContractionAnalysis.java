package org.steppolicy.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.GaussianNoise;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.PredictionType;
import org.steppolicy.infer.SampleConstraint;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.infer.Solver;
import org.steppolicy.infer.SolverKind;
import org.steppolicy.models.DiffusionSchedule;

/**
 * STEP's theory, measured: how far the reverse process ends from the DDPM-100 sample drawn with the same noise, for
 * each way of starting it. For every held-out window (observation window, the demonstration's previous chunk), one
 * Gaussian draw ε is the common noise: the reference is DDPM-100 from x = ε; a warm start enters at the timestep τ
 * as x_τ = √ᾱ_τ·Â + √(1−ᾱ_τ)·ε (strided mode with σ = 1, σ_t = 0, as STEP-2 runs), the noise start is x = ε at
 * the top of the schedule. From there deterministic DDIM single steps run to 0, and at every timestep the distance
 * of the clean-sample estimate x̂0 to the reference is recorded, together with the 2-step chain STEP-2 actually runs
 * (τ, 0). The contraction factor of a chain is ‖f(x_τ + δu) − f(x_τ)‖ / ‖δu‖ for a random unit direction u: how much
 * of a start's error survives to the output. Distances are RMS over the chunk, in normalised action units.
 */
public final class ContractionAnalysis {
    /** One start of the reverse process; the estimate is null for the pure-noise start. */
    public enum Start {
        STEP("STEP predictor"), TEMPORAL("previous chunk shifted by Ta"), SPATIAL("spatial predictor"), NOISE("pure noise");

        public final String description;

        Start(String description) { this.description = description; }

        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** The models and what to measure. Predictors may be null: their starts are then left out. */
    public record Setup(PolicyShape shape, SchedulerConfig scheduler, LinearNormalizer obsNorm, LinearNormalizer actNorm,
                        Denoiser denoiser, ChunkPredictor stepPredictor, ChunkPredictor spatialPredictor,
                        int entryStep, double delta, long seed) {
        public Setup {
            if (entryStep < 0 || entryStep >= scheduler.trainSteps())
                throw new IllegalArgumentException("entry timestep " + entryStep + " is outside [0, " + (scheduler.trainSteps() - 1) + "]");
            if (!(delta > 0)) throw new IllegalArgumentException("delta must be > 0, got " + delta);
            if (denoiser.condDim() == 0)
                throw new IllegalArgumentException("the contraction analysis needs a global-condition DP (this one inpaints)");
        }
    }

    /** Per start: per timestep distances (all windows), the estimate's and the 2-step chain's distances, contraction. */
    public record StartResult(Start start, int[] timesteps, double[][] distanceByStep, double[] estimateDistance,
                              double[] twoStepDistance, double[] twoStepContraction, double[] chainContraction) {}

    public record Result(int windows, int entryStep, double delta, List<StartResult> starts) {}

    private final Setup s;
    private final DiffusionSchedule schedule;
    private final boolean clip, epsilon;
    private final int n;

    public ContractionAnalysis(Setup setup) {
        this.s = setup;
        this.schedule = setup.scheduler().noiseSchedule();
        this.clip = setup.scheduler().clipSample();
        this.epsilon = setup.scheduler().predictionType() == PredictionType.EPSILON;
        this.n = setup.shape().chunkSize();
    }

    /** The starts this setup can measure, in table order. */
    public List<Start> starts() {
        List<Start> out = new ArrayList<>();
        if (s.stepPredictor() != null) out.add(Start.STEP);
        out.add(Start.TEMPORAL);
        if (s.spatialPredictor() != null) out.add(Start.SPATIAL);
        out.add(Start.NOISE);
        return out;
    }

    /**
     * Windows that have a genuinely previous window: each episode's call windows (every Ta steps) after its first,
     * paired with the window Ta steps before it, spread evenly over all episodes down to {@code count}.
     */
    public static List<OfflineWindow[]> pairs(List<List<OfflineWindow>> episodes, int count) {
        List<OfflineWindow[]> all = new ArrayList<>();
        for (List<OfflineWindow> e : episodes)
            for (int i = 1; i < e.size(); i++) all.add(new OfflineWindow[] {e.get(i - 1), e.get(i)});
        if (all.size() <= count) return all;
        List<OfflineWindow[]> out = new ArrayList<>();
        for (int k = 0; k < count; k++) out.add(all.get((int) ((long) k * all.size() / count)));
        return out;
    }

    /** Measures every start on every pair (previous window, current window); {@code progress} gets each index done. */
    public Result run(List<OfflineWindow[]> pairs, IntConsumer progress) {
        List<Start> starts = starts();
        int w = pairs.size();
        int[] chainSteps = new int[s.entryStep() + 1];
        for (int i = 0; i < chainSteps.length; i++) chainSteps[i] = s.entryStep() - i;
        int top = schedule.steps() - 1;
        int[] noiseSteps = new int[top + 1];
        for (int i = 0; i < noiseSteps.length; i++) noiseSteps[i] = top - i;
        // DDIM-2 from pure noise runs diffusers' strided (50, 0); the warm starts run (τ, 0), STEP-2 when τ = 50.
        int[] ddim2 = SolverKind.stridedTimesteps(schedule.steps(), 2);
        int[] warm2 = {s.entryStep(), ddim2[1]};

        double[][][] dist = new double[starts.size()][][];
        double[][] est = new double[starts.size()][w], two = new double[starts.size()][w];
        double[][] twoC = new double[starts.size()][w], chainC = new double[starts.size()][w];
        for (int k = 0; k < starts.size(); k++)
            dist[k] = new double[(starts.get(k) == Start.NOISE ? noiseSteps : chainSteps).length][w];

        Solver ddpm = SolverKind.DDPM.create(schedule, clip, s.scheduler().predictionType());
        Solver ddim = SolverKind.DDIM.create(schedule, clip, s.scheduler().predictionType());
        int[] ddpmSteps = SolverKind.DDPM.timesteps(schedule.steps(), schedule.steps());
        float[] cond = new float[s.shape().condDim()], prevChunk = new float[n], zeros = new float[n];
        float[] eps = new float[n], ref = new float[n], a = new float[n], x = new float[n], y = new float[n];
        float[] u = new float[n];
        for (int i = 0; i < w; i++) {
            OfflineWindow prev = pairs.get(i)[0], cur = pairs.get(i)[1];
            int to = s.shape().obsSteps(), dobs = s.shape().obsDim();
            for (int t = 0; t < to; t++) s.obsNorm().normalize(cur.obsHistory()[t], cond, t * dobs);
            normalizeChunk(prev.targetActions(), prevChunk);
            GaussianNoise g = new GaussianNoise(s.seed() * 1_000_003L + i);
            g.fill(eps, 0, n);
            g.fill(u, 0, n);
            scaleToNorm(u, 1.0);
            System.arraycopy(eps, 0, ref, 0, n);
            ddpm.run(s.denoiser(), ddpmSteps, ref, cond, 1, g, SampleConstraint.NONE);

            for (int k = 0; k < starts.size(); k++) {
                Start st = starts.get(k);
                boolean noise = st == Start.NOISE;
                if (!noise) estimate(st, cond, prevChunk, zeros, a);
                est[k][i] = noise ? Double.NaN : rms(a, ref);
                // The start and a start δ away, through the single-step chain, recording x̂0's distance at each step.
                int[] steps = noise ? noiseSteps : chainSteps;
                start(noise, a, eps, steps[0], x);
                addScaled(x, u, s.delta(), y);
                double[] d = chain(steps, x, y, cond, ref);
                for (int j = 0; j < steps.length; j++) dist[k][j][i] = d[j];
                chainC[k][i] = rms(x, y) * Math.sqrt(n) / s.delta();
                // STEP-2's own chain: the production DDIM solver over (τ, 0); pure noise runs DDIM-2.
                int[] twoSteps = noise ? ddim2 : warm2;
                start(noise, a, eps, twoSteps[0], x);
                addScaled(x, u, s.delta(), y);
                ddim.run(s.denoiser(), twoSteps, x, cond, 1, g, SampleConstraint.NONE);
                ddim.run(s.denoiser(), twoSteps, y, cond, 1, g, SampleConstraint.NONE);
                two[k][i] = rms(x, ref);
                twoC[k][i] = rms(x, y) * Math.sqrt(n) / s.delta();
            }
            if (progress != null) progress.accept(i);
        }
        List<StartResult> out = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            Start st = starts.get(k);
            out.add(new StartResult(st, st == Start.NOISE ? noiseSteps : chainSteps, dist[k], est[k], two[k], twoC[k], chainC[k]));
        }
        return new Result(w, s.entryStep(), s.delta(), out);
    }

    private void estimate(Start st, float[] cond, float[] prevChunk, float[] zeros, float[] out) {
        switch (st) {
            case STEP -> s.stepPredictor().predict(cond, prevChunk, 1, out);
            case SPATIAL -> s.spatialPredictor().predict(cond, zeros, 1, out);
            case TEMPORAL -> shift(prevChunk, out);
            default -> throw new IllegalStateException(st.toString());
        }
    }

    /** x_τ = √ᾱ_τ·Â + √(1−ᾱ_τ)·ε, or ε itself for the noise start. */
    private void start(boolean noise, float[] a, float[] eps, int tau, float[] x) {
        if (noise) {
            System.arraycopy(eps, 0, x, 0, n);
            return;
        }
        double acp = schedule.alphaCumprod(tau), sa = Math.sqrt(acp), ss = Math.sqrt(1 - acp);
        for (int j = 0; j < n; j++) x[j] = (float) (sa * a[j] + ss * eps[j]);
    }

    /**
     * Deterministic DDIM single steps over {@code steps} (descending, ending at 0) on two samples at once; returns the
     * RMS distance of the first one's x̂0 to {@code ref} at each step. Both samples end clean, in place.
     */
    private double[] chain(int[] steps, float[] x, float[] y, float[] cond, float[] ref) {
        double[] d = new double[steps.length];
        float[] xy = new float[2 * n], out = new float[2 * n], c2 = new float[2 * cond.length], x0 = new float[n];
        System.arraycopy(cond, 0, c2, 0, cond.length);
        System.arraycopy(cond, 0, c2, cond.length, cond.length);
        System.arraycopy(x, 0, xy, 0, n);
        System.arraycopy(y, 0, xy, n, n);
        for (int j = 0; j < steps.length; j++) {
            int t = steps[j];
            s.denoiser().predict(xy, new int[] {t, t}, c2, 2, out);
            double acpT = schedule.alphaCumprod(t), acpPrev = j + 1 < steps.length ? schedule.alphaCumprod(steps[j + 1]) : 1.0;
            double sbT = Math.sqrt(1 - acpT), saT = Math.sqrt(acpT), saP = Math.sqrt(acpPrev), dir = Math.sqrt(1 - acpPrev);
            for (int b = 0; b < 2; b++)
                for (int q = 0; q < n; q++) {
                    int p = b * n + q;
                    double x0v = epsilon ? (xy[p] - sbT * out[p]) / saT : out[p];
                    double e = epsilon ? out[p] : (xy[p] - saT * x0v) / sbT;
                    if (clip) x0v = Math.max(-1, Math.min(1, x0v));
                    if (b == 0) x0[q] = (float) x0v;
                    xy[p] = (float) (saP * x0v + dir * e);
                }
            d[j] = rms(x0, ref);
        }
        System.arraycopy(xy, 0, x, 0, n);
        System.arraycopy(xy, n, y, 0, n);
        return d;
    }

    private void normalizeChunk(double[][] raw, float[] out) {
        int da = s.shape().actionDim();
        for (int h = 0; h < s.shape().horizon(); h++)
            for (int q = 0; q < da; q++) out[h * da + q] = s.actNorm().normalize(q, raw[h][q]);
    }

    /** The previous chunk advanced by Ta, its last action repeated (the temporal start of the policy runner). */
    private void shift(float[] prev, float[] dst) {
        int da = s.shape().actionDim(), h = s.shape().horizon(), ta = s.shape().actionSteps();
        for (int i = 0; i < h; i++) System.arraycopy(prev, Math.min(i + ta, h - 1) * da, dst, i * da, da);
    }

    private void addScaled(float[] x, float[] u, double delta, float[] out) {
        for (int j = 0; j < n; j++) out[j] = (float) (x[j] + delta * u[j]);
    }

    private static void scaleToNorm(float[] v, double norm) {
        double s2 = 0;
        for (float f : v) s2 += (double) f * f;
        double k = norm / Math.sqrt(s2);
        for (int j = 0; j < v.length; j++) v[j] = (float) (v[j] * k);
    }

    static double rms(float[] a, float[] b) {
        double s2 = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            s2 += d * d;
        }
        return Math.sqrt(s2 / a.length);
    }

    /** The q-quantile (linear interpolation) of the finite values. */
    public static double quantile(double[] v, double q) {
        double[] f = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        if (f.length == 0) return Double.NaN;
        double pos = q * (f.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return f[lo] + (pos - lo) * (f[hi] - f[lo]);
    }
}
