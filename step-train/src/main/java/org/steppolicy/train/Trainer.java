package org.steppolicy.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.config.UserError;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;
import org.steppolicy.run.Checksums;
import org.steppolicy.run.FileErrors;

/**
 * The training loop shared by the DP and predictor trainers: AdamW with the cosine warm-up schedule, optional EMA,
 * periodic validation, atomic checkpoints, metrics CSV, loss plot and a progress bar.
 * <p>
 * Exact resume: everything random in a step derives from (seed, step) ({@link StepRandom}), and a checkpoint holds
 * parameters, EMA, AdamW moments and the step; so a run resumed at step k continues as if never stopped.
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String METRICS = "metrics.csv";
    static final String PLOT = "loss.png";
    static final String CONFIG = "config.yaml";

    /** Loop settings; ema null turns EMA off. {@code totalSteps} fixes the LR schedule. */
    public record Settings(long totalSteps, long warmupSteps, double lr, AdamW.Settings adam, EmaModel.Settings ema,
                           int valEvery, int checkpointEvery, int keepLast, long seed) {
        public Settings {
            if (totalSteps < 1) throw new IllegalArgumentException("training steps must be >= 1, got " + totalSteps);
            if (valEvery < 1 || checkpointEvery < 1)
                throw new IllegalArgumentException("val_every and checkpoint_every must be >= 1");
        }

        /** A training section (training or predictor_training) run for {@code steps} optimiser steps. */
        public static Settings of(org.steppolicy.config.TrainingConfig t, long steps) {
            EmaModel.Settings ema = t.emaEnabled()
                    ? new EmaModel.Settings(t.emaPower(), t.emaInvGamma(), t.emaMin(), t.emaMax(), t.emaUpdateAfterStep()) : null;
            return new Settings(steps, t.warmupSteps(), t.lr(), new AdamW.Settings(t.beta1(), t.beta2(), t.eps(), t.weightDecay()),
                    ema, t.valEvery(), t.checkpointEvery(), t.keepLast(), t.seed());
        }
    }

    /** What a run did. */
    public record Summary(long firstStep, long lastStep, List<MetricsLog.Row> rows, Path lastCheckpoint,
                          double medianStepSeconds) {
        /** Mean training loss over the first (or last) {@code n} rows of this run. */
        public double meanLoss(int n, boolean last) {
            List<MetricsLog.Row> r = rows.subList(last ? Math.max(0, rows.size() - n) : 0, last ? rows.size() : Math.min(n, rows.size()));
            return r.stream().mapToDouble(MetricsLog.Row::trainLoss).average().orElse(Double.NaN);
        }
    }

    private final TrainTask task;
    private final Settings settings;
    private final Path runDir;
    private final PrintStream progressOut;
    private final CosineWarmupSchedule schedule;
    private final Map<String, String> checkpointFiles = new LinkedHashMap<>();
    private final Map<String, TensorStore> checkpointTensors = new LinkedHashMap<>();
    private BooleanSupplier stopRequested = () -> false;
    private InitialWeights initialWeights;

    /** @param progressOut where the progress bar goes (System.err from the CLI); null for none */
    public Trainer(TrainTask task, Settings settings, Path runDir, PrintStream progressOut) {
        this.task = task;
        this.settings = settings;
        this.runDir = runDir;
        this.progressOut = progressOut;
        this.schedule = new CosineWarmupSchedule(settings.lr(), settings.warmupSteps(), settings.totalSteps());
    }

    /** Adds a text file to every checkpoint (e.g. data.json, the data the run trains on). */
    public Trainer withCheckpointFile(String name, String text) {
        checkpointFiles.put(name, text);
        return this;
    }

    /** Adds a tensor file to every checkpoint (a cvae-source BRIDGeR's decoder weights, which sampling needs). */
    public Trainer withCheckpointTensors(String name, TensorStore tensors) {
        checkpointTensors.put(name, tensors);
        return this;
    }

    /**
     * Starts a new run (not a resumed one) from these weights instead of the network's initial ones; the EMA starts as
     * a copy of them, the optimiser and LR schedule fresh at step 0.
     */
    public Trainer withInitialWeights(InitialWeights w) {
        this.initialWeights = w;
        return this;
    }

    /**
     * Polled after every step: once true, the trainer writes a checkpoint and throws {@link TrainingInterrupted}
     * ({@link StopSignal} sets it on Ctrl-C).
     */
    public Trainer stopWhen(BooleanSupplier stop) {
        this.stopRequested = stop;
        return this;
    }

    /** Trains to {@code settings.totalSteps()}. */
    public Summary run(Path resumeFrom) {
        return run(resumeFrom, settings.totalSteps());
    }

    /**
     * Trains from step 0 (or the resumed checkpoint's step) up to {@code stopAt} steps, then writes a checkpoint.
     * Stopping early does not change the LR schedule, so stop + resume equals one uninterrupted run.
     */
    public Summary run(Path resumeFrom, long stopAt) {
        return run(resumeFrom, stopAt, null);
    }

    /**
     * As {@link #run(Path, long)}, also stopping (with a checkpoint) once {@code budget} of wall time has passed: the
     * LR schedule still spans {@code settings.totalSteps()}, so a later --resume continues the same run.
     */
    public Summary run(Path resumeFrom, long stopAt, java.time.Duration budget) {
        long deadline = budget == null ? Long.MAX_VALUE : System.nanoTime() + budget.toNanos();
        if (stopAt > settings.totalSteps()) throw new IllegalArgumentException("stop step beyond the training length");
        TrainGraph graph = task.graph();
        Map<String, INDArray> params = graph.params();
        if (initialWeights != null && resumeFrom == null) initialWeights.assignTo(params);
        AdamW opt = new AdamW(settings.adam());
        EmaModel ema = settings.ema() == null ? null : new EmaModel(settings.ema(), params);
        long step = 0;
        if (resumeFrom != null) step = restore(Checkpoint.resolve(resumeFrom), graph, opt, ema);
        if (step > stopAt) throw new UserError("checkpoint is at step " + step + ", past the requested " + stopAt);
        long firstStep = step;
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(CONFIG), task.configYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw FileErrors.cannotWrite(runDir.toString(), e);
        }
        CheckpointWriter writer = new CheckpointWriter(runDir, settings.keepLast());
        List<MetricsLog.Row> thisRun = new ArrayList<>();
        List<Double> stepTimes = new ArrayList<>();
        // Resumed at its last step already: nothing to train, and the run's checkpoint is still the resumed one.
        Path lastCheckpoint = resumeFrom != null ? Checkpoint.resolve(resumeFrom) : null;
        long t0 = System.nanoTime();
        ProgressBar bar = progressOut == null ? null : new ProgressBar(progressOut, firstStep, stopAt);
        try (MetricsLog log = new MetricsLog(runDir.resolve(METRICS), step)) {
            double wallOffset = log.rows().isEmpty() ? 0 : log.rows().get(log.rows().size() - 1).wallSeconds();
            while (step < stopAt) {
                long s0 = System.nanoTime();
                double lr = schedule.lr(step);
                Map<String, INDArray> feed = task.trainFeed(step);
                // Dropout draws from ND4J's generator: reseed it per step so a resumed run draws the same masks.
                Nd4j.getRandom().setSeed(StepRandom.of(settings.seed(), step, StepRandom.DROPOUT).nextLong());
                TrainGraph.Result r = graph.lossAndGradients(feed);
                if (!Double.isFinite(r.loss()))
                    // Bad data or settings (outliers, a too-high lr) cause this, not the program: a user error.
                    throw new UserError("training loss is " + r.loss() + " at step " + step + "; check the data (step data info "
                            + "FILE lists outliers) and training.lr");
                opt.step(params, r.gradients(), lr);
                r.close();
                TrainGraph.release(feed);
                graph.collectNative();
                if (ema != null) ema.update(params);
                step++;
                stepTimes.add((System.nanoTime() - s0) / 1e9);
                boolean outOfTime = System.nanoTime() >= deadline;
                boolean stop = stopRequested.getAsBoolean();
                boolean checkpoint = step % settings.checkpointEvery() == 0 || step == stopAt || outOfTime || stop;
                double val = Double.NaN;
                // A stop request checkpoints without the validation pass (it can take minutes): Ctrl-C answers quickly.
                if (step % settings.valEvery() == 0 || (checkpoint && !stop)) val = task.validationLoss(params);
                MetricsLog.Row row = new MetricsLog.Row(step, r.loss(), lr, val, wallOffset + (System.nanoTime() - t0) / 1e9);
                log.add(row);
                thisRun.add(row);
                if (checkpoint) {
                    lastCheckpoint = writer.write(contents(graph, opt, ema, step, val));
                }
                if (checkpoint || !Double.isNaN(val)) LossPlot.write(log.rows(), task.kind() + " training loss", runDir.resolve(PLOT));
                if (bar != null) bar.update(step, r.loss(), lr);
                if (stop && step < stopAt) {
                    if (bar != null) bar.finish();
                    throw new TrainingInterrupted(step, lastCheckpoint, runDir);
                }
                if (outOfTime) break;
            }
            if (bar != null) bar.finish();
            LossPlot.write(log.rows(), task.kind() + " training loss", runDir.resolve(PLOT));
        }
        double[] times = stepTimes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = times.length == 0 ? Double.NaN : times[times.length / 2];
        return new Summary(firstStep, step, thisRun, lastCheckpoint, median);
    }

    private CheckpointWriter.Contents contents(TrainGraph graph, AdamW opt, EmaModel ema, long step, double val) {
        TensorStore optimizer = new TensorStore();
        putAll(optimizer, "exp_avg/", opt.firstMoments());
        putAll(optimizer, "exp_avg_sq/", opt.secondMoments());
        TensorStore emaStore = null;
        if (ema != null) {
            emaStore = new TensorStore();
            putAll(emaStore, "", ema.averages());
        }
        TensorStore model = new TensorStore();
        putAll(model, "", graph.params());
        Checkpoint.Meta meta = new Checkpoint.Meta(task.kind(), step, val, task.arch());
        return new CheckpointWriter.Contents(meta, model, emaStore, optimizer, task.normalizerJson(), task.configYaml(), checkpointFiles,
                checkpointTensors);
    }

    private long restore(Path dir, TrainGraph graph, AdamW opt, EmaModel ema) {
        Checkpoint ck = Checkpoint.load(dir);
        if (!ck.kind().equals(task.kind()))
            throw new UserError("cannot resume from " + dir + ": it is a " + ck.kind() + " checkpoint, this is " + task.kind() + " training");
        String diff = JsonDifference.first(JSON.valueToTree(ck.arch()), JSON.valueToTree(task.arch()), "checkpoint", "config");
        if (diff != null) throw new UserError("cannot resume from " + dir + ": architecture differs (" + diff + ")");
        Map<String, INDArray> params = graph.params();
        assign(params, ck.model(), "model");
        if (ema != null) {
            if (ck.ema() == null) throw new UserError("cannot resume from " + dir + ": it has no EMA weights but EMA is on");
            ema.restore(ck.step(), arrays(ck.ema(), "", params));
        }
        TensorStore o;
        Checksums.read(dir, "checkpoint " + dir).verify(dir, Checkpoint.OPTIMIZER, "checkpoint " + dir);
        try {
            o = TensorStore.load(dir.resolve(Checkpoint.OPTIMIZER));
        } catch (IOException e) {
            throw new UserError("cannot resume from " + dir + ": " + e.getMessage(), e);
        }
        opt.restore(ck.step(), arrays(o, "exp_avg/", params), arrays(o, "exp_avg_sq/", params));
        return ck.step();
    }


    private static void putAll(TensorStore store, String prefix, Map<String, INDArray> arrays) {
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray a = e.getValue();
            store.put(prefix + e.getKey(), a.shape(), a.dup('c').data().asFloat());
        }
    }

    private static Map<String, INDArray> arrays(TensorStore store, String prefix, Map<String, INDArray> like) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : like.entrySet()) {
            String n = prefix + e.getKey();
            if (!store.contains(n)) throw new IllegalArgumentException("checkpoint lacks tensor " + n);
            TensorStore.Tensor t = store.get(n);
            if (!Arrays.equals(t.shape(), e.getValue().shape()))
                throw new IllegalArgumentException("checkpoint tensor " + n + " has shape " + Arrays.toString(t.shape())
                        + ", the network " + Arrays.toString(e.getValue().shape()));
            out.put(e.getKey(), Nd4j.create(t.data(), t.shape(), 'c'));
        }
        return out;
    }

    private static void assign(Map<String, INDArray> params, TensorStore store, String what) {
        if (!store.names().equals(params.keySet()))
            throw new UserError("checkpoint " + what + " parameters do not match the network's");
        arrays(store, "", params).forEach((k, a) -> params.get(k).assign(a));
    }
}
