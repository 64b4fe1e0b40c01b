package org.steppolicy.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.models.ImageDiffusionPolicy;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.ImageSpecs;
import org.steppolicy.models.SameDiffBuilder;
import org.steppolicy.models.TensorStore;

/**
 * {@code step bench train}: median wall time of one full DP training step (forward, backward, AdamW, EMA) at the
 * configured batch size, on random normalised windows of the configured shape, after warm-up steps; the config-level
 * entry points ({@link #dp}, {@link #imageDp}, {@link #predictor}) live here too, so the bench is one class.
 */
public final class TrainBench {
    /** Push-T low-dim sizes (§B.1), used when no dataset is given. */
    public static final int PUSHT_OBS_DIM = 20, PUSHT_ACTION_DIM = 2;

    /** {@code cpuSeconds}: process CPU time per timed step (all threads), which other processes' load inflates less than wall time. */
    public record Result(String model, long parameters, int batch, int warmup, double[] stepSeconds, double medianSeconds,
                         double[] cpuSeconds, long peakRssBytes) {
        public String report() {
            return String.format(java.util.Locale.ROOT,
                    "train step %s (%,d params), batch %d: median %.1f ms over %d steps (min %.1f, max %.1f), process CPU median %.1f ms, peak RSS %s",
                    model, parameters, batch, medianSeconds * 1e3, stepSeconds.length,
                    Arrays.stream(stepSeconds).min().orElse(Double.NaN) * 1e3,
                    Arrays.stream(stepSeconds).max().orElse(Double.NaN) * 1e3, median(cpuSeconds) * 1e3,
                    peakRssBytes < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f GB", peakRssBytes / 1e9));
        }
    }

    /**
     * {@code step bench train}: the DP train step at the config's batch size: its U-Net, or for a visuomotor config
     * (task.image_key) the image DP, encoder and U-Net end to end.
     */
    public static Result dp(StepConfig c, int warmup, int steps, java.io.PrintStream progress) {
        DpTrainSettings s = TrainSettings.dp(c, c.training().batchSize(), 1000L);
        ImageObsSpec images = ImageSpecs.dp(c);
        if (images != null) return runImage(s, images, c.task().actionDim(), warmup, steps, progress);
        return run(s, c.task().obsDim(), c.task().actionDim(), warmup, steps, progress);
    }

    /** {@code step bench train --model image}: {@link #dp} on a config that must have task.image_key. */
    public static Result imageDp(StepConfig c, int warmup, int steps, java.io.PrintStream progress) {
        if (!c.task().hasImages())
            throw new UserError("--model image needs a visuomotor config (task.image_key), e.g. configs/pusht_image-small.yaml");
        return dp(c, warmup, steps, progress);
    }

    /** {@code step bench train --model predictor}: the predictor's train step at predictor_training.batch_size. */
    public static Result predictor(StepConfig c, int warmup, int steps, java.io.PrintStream progress) {
        return runPredictor(new PredictorTrainSettings(c, 1000L), c.task().obsDim(), c.task().actionDim(),
                warmup, steps, progress);
    }

    static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN
                : sorted.length % 2 == 1 ? sorted[sorted.length / 2] : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
    }

    /** CPU time of this process, all threads (ND4J's native threads included); -1 where the JVM cannot tell. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean b ? b.getProcessCpuTime() : -1;
    }

    private TrainBench() {}

    public static Result run(DpTrainSettings s, int obsDim, int actionDim, int warmup, int steps, java.io.PrintStream progress) {
        int windows = Math.max(s.batchSize(), 1);
        WindowSource data = randomWindows(windows, s.horizon(), obsDim, actionDim, s.seed());
        DpTask task = DpTask.withUnet(s, data, null, "{}");
        String model = "unet" + s.downDims() + (s.obsAsGlobalCond() ? " global-cond" : " inpainting");
        return timeDp(s, task, model, warmup, steps, progress);
    }

    /**
     * {@code step bench train} on a visuomotor config (task.image_key): the image DP's training step, encoder and U-Net
     * end to end (forward, backward, AdamW, EMA), at training.batch_size. The random windows hold whole flat
     * observation steps (low-dim values, then the crop's pixels), so the feed copies the first To steps into
     * {@code global_cond} as the low-dim task does; the crop itself (a copy out of the cached frame) is not timed.
     */
    public static Result runImage(DpTrainSettings s, ImageObsSpec spec, int actionDim, int warmup, int steps,
                                  java.io.PrintStream progress) {
        DpTask task = imageTask(s, spec, actionDim);
        String model = "image " + spec.encoder() + " " + spec.height() + "x" + spec.width() + " f" + spec.featureDim()
                + " To" + s.nObsSteps() + " + unet" + s.downDims();
        return timeDp(s, task, model, warmup, steps, progress);
    }

    /** The image DP task of {@link #runImage} on random flat windows (one batch of them). */
    static DpTask imageTask(DpTrainSettings s, ImageObsSpec spec, int actionDim) {
        WindowSource data = randomWindows(Math.max(s.batchSize(), 1), s.horizon(), spec.stepDim(), actionDim, s.seed());
        ImageDiffusionPolicy net = DpTask.imagePolicy(s, spec, actionDim);
        TensorStore init = net.initParams(s.seed());
        return new DpTask(s, data, null, "{}", training -> SameDiffBuilder.build(net, init, true));
    }

    private static Result timeDp(DpTrainSettings s, DpTask task, String model, int warmup, int steps, java.io.PrintStream progress) {
        TrainGraph g = task.graph();
        AdamW opt = new AdamW(s.trainerSettings().adam());
        EmaModel ema = s.trainerSettings().ema() == null ? null : new EmaModel(s.trainerSettings().ema(), g.params());
        double[] times = new double[steps], cpu = new double[steps];
        for (int i = 0; i < warmup + steps; i++) {
            long t0 = System.nanoTime(), c0 = processCpuNanos();
            Map<String, INDArray> feed = task.trainFeed(i);
            TrainGraph.Result r = g.lossAndGradients(feed);
            opt.step(g.params(), r.gradients(), s.trainerSettings().lr());
            r.close();
            TrainGraph.release(feed);
            g.collectNative();
            if (ema != null) ema.update(g.params());
            if (i >= warmup) {
                times[i - warmup] = (System.nanoTime() - t0) / 1e9;
                cpu[i - warmup] = (processCpuNanos() - c0) / 1e9;
            }
            if (progress != null) progress.printf(java.util.Locale.ROOT, "step %d: %.0f ms, rss %.2f GB%n", i, (System.nanoTime() - t0) / 1e6, peakRss() / 1e9);
        }
        return new Result(model, g.parameterCount(), s.batchSize(), warmup, times, median(times), cpu, peakRss());
    }

    /**
     * {@code step bench train --model predictor}: the STEP predictor's training step (forward, backward with dropout,
     * AdamW; no EMA: the predictor trains without one) at predictor_training.batch_size, as {@link Trainer} runs it.
     */
    public static Result runPredictor(PredictorTrainSettings s, int obsDim, int actionDim, int warmup, int steps,
                                      java.io.PrintStream progress) {
        int batch = s.batchSize();
        WindowSource data = randomWindows(Math.max(batch, 1), s.horizon(), obsDim, actionDim, s.seed());
        PredictorTask task = new PredictorTask(s, data, null, "{}");
        TrainGraph g = task.graph();
        AdamW opt = new AdamW(s.trainerSettings().adam());
        double[] times = new double[steps], cpu = new double[steps];
        for (int i = 0; i < warmup + steps; i++) {
            long t0 = System.nanoTime(), c0 = processCpuNanos();
            Map<String, INDArray> feed = task.trainFeed(i);
            org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(StepRandom.of(s.seed(), i, StepRandom.DROPOUT).nextLong());
            TrainGraph.Result r = g.lossAndGradients(feed);
            opt.step(g.params(), r.gradients(), s.trainerSettings().lr());
            r.close();
            TrainGraph.release(feed);
            g.collectNative();
            if (i >= warmup) {
                times[i - warmup] = (System.nanoTime() - t0) / 1e9;
                cpu[i - warmup] = (processCpuNanos() - c0) / 1e9;
            }
            if (progress != null) progress.printf(java.util.Locale.ROOT, "step %d: %.0f ms%n", i, (System.nanoTime() - t0) / 1e6);
        }
        String model = "predictor " + s.kind().id() + " d" + s.predictor().dModel();
        return new Result(model, g.parameterCount(), batch, warmup, times, median(times), cpu, peakRss());
    }

    /** Peak resident set size from /proc (Linux); -1 where unavailable. Covers native (ND4J) memory, unlike the heap. */
    static long peakRss() {
        Path status = Path.of("/proc/self/status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static WindowSource randomWindows(int n, int T, int Do, int Da, long seed) {
        float[][] obs = new float[n][T * Do], act = new float[n][T * Da];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < obs[i].length; k++) obs[i][k] = (float) (r.nextDouble() * 2 - 1);
            for (int k = 0; k < act[i].length; k++) act[i][k] = (float) (r.nextDouble() * 2 - 1);
        }
        return new WindowSource() {
            @Override public int size() { return n; }
            @Override public int horizon() { return T; }
            @Override public int obsDim() { return Do; }
            @Override public int actionDim() { return Da; }
            @Override public void window(int i, float[] o, int oo, float[] a, int ao, float[] p, int po) {
                System.arraycopy(obs[i], 0, o, oo, obs[i].length);
                System.arraycopy(act[i], 0, a, ao, act[i].length);
                if (p != null) System.arraycopy(act[(i + n - 1) % n], 0, p, po, act[i].length);
            }
        };
    }
}
