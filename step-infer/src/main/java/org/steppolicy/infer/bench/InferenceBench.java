package org.steppolicy.infer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.data.ObservationHistory;
import org.steppolicy.data.Percentile;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.policy.PolicyOptions;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.infer.policy.TrainedPolicy;

/**
 * Batch-1 latency per action chunk: one U-Net forward ({@value #UNET_FORWARD}) and each
 * method through a {@link StepPolicy} of its own on random observations; median and p95 over the steady-state calls
 * (warm-started methods' cold-start calls are left out by {@link LatencySummary}). Methods with many denoiser
 * calls per chunk (ddpm:100) take {@code slowCalls} calls, since 200 of them would take minutes. The methods run
 * interleaved in rounds, so that drifting machine load affects all of them alike.
 */
public final class InferenceBench {
    public static final String UNET_FORWARD = "unet_forward";
    public static final List<String> DEFAULT_METHODS = List.of("ddpm:100", "ddim:2", "dpmsolver:2", "step:2");
    /** Methods with at least this many solver steps count as slow. */
    static final int SLOW_STEPS = 20;

    /** @param calls timed calls per method; slowCalls for slow methods; warmup untimed calls first */
    public record Settings(int calls, int slowCalls, int warmup, long seed) {
        public Settings {
            if (calls < 1 || slowCalls < 1 || warmup < 0) throw new IllegalArgumentException("bench call counts must be positive");
        }

        public static Settings defaults() {
            return new Settings(200, 30, 20, 0);
        }
    }

    private InferenceBench() {}

    /** The bundle's DP with its predictor (if any), as {@link #run(TrainedPolicy, RuntimeKind, int, List, Settings, Consumer)}. */
    public static List<BenchResult> run(PolicyBundle bundle, RuntimeKind runtime, int threads, List<String> methods,
                                        Settings s, Consumer<BenchResult> progress) {
        List<PredictorBundle> predictors = bundle.predictor() == null ? List.of() : List.of(bundle.predictor());
        return run(TrainedPolicy.of(bundle, predictors, "the policy"), runtime, threads, methods, s, progress);
    }

    /**
     * Every method on {@code trained} (checkpoints with any predictors, or an export folder); a method whose predictor
     * is missing fails with {@link org.steppolicy.infer.MissingPredictor}'s message before any call is timed.
     */
    public static List<BenchResult> run(TrainedPolicy trained, RuntimeKind runtime, int threads, List<String> methods,
                                        Settings s, Consumer<BenchResult> progress) {
        PolicyOptions options = PolicyOptions.defaults().withRuntime(runtime).withThreads(threads).withSeed(s.seed());
        List<MethodSpec> specs = new ArrayList<>();
        for (String m : methods) {
            MethodSpec spec = MethodSpec.parse(m);
            trained.requirePredictor(spec.label(), spec.method());
            specs.add(spec);
        }
        PolicyModels models = trained.open(org.steppolicy.infer.Method.DDIM, runtime, threads);   // the DP alone
        List<Chunks> chunks = new ArrayList<>();
        try {
            List<Timed> timed = new ArrayList<>();
            timed.add(new Forward(models.denoiser(), s));
            for (MethodSpec spec : specs) {
                Chunks c = new Chunks(StepPolicy.open(trained, spec, options), spec, s);
                chunks.add(c);
                timed.add(c);
            }
            for (Timed t : timed) t.warmUp();
            // Interleaved rounds: on a shared machine, load drifts over minutes; every method sees the same drift,
            // so the ratios between methods (the targets) stay meaningful.
            boolean more = true;
            while (more) {
                more = false;
                for (Timed t : timed) more |= t.round();
            }
            List<BenchResult> out = new ArrayList<>();
            for (Timed t : timed) {
                BenchResult r = t.result(runtime, threads);
                out.add(r);
                progress.accept(r);
            }
            return out;
        } finally {
            models.close();
            for (Chunks c : chunks) c.policy.close();
        }
    }

    /** Calls per round for fast methods; slow ones take one call per round. */
    static final int ROUND = 10;

    private interface Timed {
        void warmUp();

        /** Runs this round's calls; false once its calls are all done. */
        boolean round();

        BenchResult result(RuntimeKind runtime, int threads);
    }

    /** One batch-1 U-Net forward on fixed random inputs. */
    private static final class Forward implements Timed {
        final Denoiser d;
        final Settings s;
        final float[] x, cond, out;
        final int[] t = {0};
        final double[] ms;
        int done;

        Forward(Denoiser d, Settings s) {
            this.d = d;
            this.s = s;
            SplittableRandom r = new SplittableRandom(s.seed());
            x = new float[d.horizon() * d.inputDim()];
            cond = new float[Math.max(1, d.condDim())];
            out = new float[x.length];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int i = 0; i < cond.length; i++) cond[i] = (float) (2 * r.nextDouble() - 1);
            ms = new double[s.calls()];
        }

        public void warmUp() {
            for (int i = 0; i < s.warmup(); i++) d.predict(x, t, cond, 1, out);
        }

        public boolean round() {
            for (int k = 0; k < ROUND && done < ms.length; k++, done++) {
                t[0] = done % 100;
                long t0 = System.nanoTime();
                d.predict(x, t, cond, 1, out);
                ms[done] = (System.nanoTime() - t0) / 1e6;
            }
            return done < ms.length;
        }

        public BenchResult result(RuntimeKind runtime, int threads) {
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double med = Percentile.ofSorted(sorted, 50), p95 = Percentile.ofSorted(sorted, 95);
            return new BenchResult(UNET_FORWARD, 1, runtime.id(), threads, ms.length, s.warmup(), med, p95, Double.NaN,
                    Double.NaN, med, p95);
        }
    }

    /** Action chunks of one method through its StepPolicy on a slowly drifting random observation. */
    private static final class Chunks implements Timed {
        final MethodSpec spec;
        final StepPolicy policy;
        final ObservationHistory history;
        final List<CallLatency> latencies = new ArrayList<>();
        final SplittableRandom r;
        final double[] obs;
        final int calls, warmup, perRound;
        int done;

        Chunks(StepPolicy policy, MethodSpec spec, Settings s) {
            this.spec = spec;
            boolean slow = spec.steps() >= SLOW_STEPS;
            this.calls = slow ? Math.min(s.calls(), s.slowCalls()) : s.calls();
            this.warmup = slow ? Math.min(s.warmup(), 3) : s.warmup();
            this.perRound = Math.max(1, (int) Math.ceil(ROUND * calls / (double) s.calls()));
            this.policy = policy;
            this.history = new ObservationHistory(policy.info().obsSteps(), policy.info().obsDim());
            this.r = new SplittableRandom(s.seed());
            obs = new double[policy.info().obsDim()];
            for (int i = 0; i < obs.length; i++) obs[i] = 2 * r.nextDouble() - 1;
        }

        private void call() {
            for (int k = 0; k < obs.length; k++) obs[k] = Math.max(-1, Math.min(1, obs[k] + 0.02 * r.nextGaussian()));
            history.push(obs);
            policy.predictChunk(history.window()); // one model call per call, unlike act()'s one per Ta
            latencies.add(policy.lastLatency());
        }

        public void warmUp() {
            for (int i = 0; i < warmup; i++) call();
            latencies.clear();
        }

        public boolean round() {
            for (int k = 0; k < perRound && done < calls; k++, done++) call();
            return done < calls;
        }

        public BenchResult result(RuntimeKind runtime, int threads) {
            LatencySummary sum = LatencySummary.of(latencies);
            boolean pred = spec.method().usesPredictor();
            return new BenchResult(spec.method().label(), spec.steps(), runtime.id(), threads, sum.calls() - sum.coldCalls(),
                    warmup, sum.medianMs(), sum.p95Ms(), pred ? sum.predictorMedianMs() : Double.NaN,
                    pred ? sum.predictorP95Ms() : Double.NaN, sum.diffusionMedianMs(), sum.diffusionP95Ms());
        }
    }


    /** The JSON list: method, steps, runtime, latency_ms_median, latency_ms_p95 and the parts. */
    public static String toJson(List<BenchResult> results) {
        ObjectMapper json = new ObjectMapper();
        ArrayNode a = json.createArrayNode();
        for (BenchResult r : results) {
            ObjectNode n = a.addObject();
            n.put("method", r.method());
            n.put("steps", r.steps());
            n.put("runtime", r.runtime());
            n.put("threads", r.threads());
            n.put("calls", r.calls());
            n.put("warmup", r.warmup());
            n.put("latency_ms_median", r.latencyMsMedian());
            n.put("latency_ms_p95", r.latencyMsP95());
            number(n, "predictor_ms_median", r.predictorMsMedian());
            number(n, "predictor_ms_p95", r.predictorMsP95());
            number(n, "diffusion_ms_median", r.diffusionMsMedian());
            number(n, "diffusion_ms_p95", r.diffusionMsP95());
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(a);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) n.putNull(key);
        else n.put(key, v);
    }

    /** A fixed-width table for the terminal. */
    public static String table(List<BenchResult> results) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-14s %5s %-9s %6s %11s %9s %14s %14s%n",
                "method", "steps", "runtime", "calls", "median ms", "p95 ms", "predictor ms", "diffusion ms"));
        for (BenchResult r : results) sb.append(row(r));
        return sb.toString();
    }

    public static String row(BenchResult r) {
        return String.format(Locale.ROOT, "%-14s %5d %-9s %6d %11.3f %9.3f %14s %14s%n", r.method(), r.steps(), r.runtime(),
                r.calls(), r.latencyMsMedian(), r.latencyMsP95(), ms(r.predictorMsMedian()), ms(r.diffusionMsMedian()));
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
