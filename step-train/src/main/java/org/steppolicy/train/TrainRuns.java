package org.steppolicy.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.TrainingConfig;
import org.steppolicy.config.UserError;
import java.nio.file.Files;
import org.steppolicy.data.DataFingerprint;
import org.steppolicy.data.DataValidator;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.run.RunFolder;
import org.steppolicy.data.DemoDataset;
import org.steppolicy.data.ImageFrames;
import org.steppolicy.models.DpArch;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.ImageSpecs;
import org.steppolicy.data.SequenceSampler;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.PredictorNetConfig;

/**
 * Entry points the CLI calls: resolved config -> data, normaliser, task, trainer. {@code maxSteps} (when not null)
 * overrides training.max_steps; null keeps the config's (max_steps, else num_epochs × batches per epoch).
 */
public final class TrainRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainRuns() {}

    /** Loaded demos, the normaliser and the normalised train/valid windows of one task. */
    public record Data(DemoDataset demos, DatasetNormalizer normalizer, WindowSource train, WindowSource valid,
                       ImageWindows trainImages, ImageWindows validImages) {}

    /**
     * How a training command treats its run folder and data.
     * @param force           replace a run that is in --out (its files are deleted)
     * @param allowDataChange resume on data (or a normaliser) other than the run's; the run's normaliser is kept
     * @param initFrom        a new run starts from these weights ({@link InitialWeights}); null: the network's initial ones
     */
    public record RunOptions(boolean force, boolean allowDataChange, Path initFrom) {
        public static final RunOptions DEFAULT = new RunOptions(false, false, null);

        public RunOptions(boolean force, boolean allowDataChange) {
            this(force, allowDataChange, null);
        }
    }

    /** The --init-from weights of a new run, checked against the normaliser fit on its data; null when none or resuming. */
    private static InitialWeights initialWeights(RunOptions o, Path resume, String kind, DatasetNormalizer norm, PrintStream progress) {
        if (o.initFrom() == null) return null;
        if (resume != null) throw new UserError("--init-from starts a new run; --resume continues one: give one of them");
        InitialWeights w = InitialWeights.load(o.initFrom(), kind);
        w.requireNormalizer(norm);
        if (progress != null) progress.println("initial weights: " + w.source() + " (" + w.weights().size() + " tensors; optimiser, EMA and LR schedule start fresh)");
        return w;
    }

    private static Trainer initialised(Trainer t, InitialWeights w) {
        return w == null ? t : t.withInitialWeights(w).withCheckpointFile(InitialWeights.FILE, w.toJson());
    }

    /** Low-dim windows, and for visuomotor tasks (task.image_key) the image windows of the given layout. */
    public static Data loadData(StepConfig c, DatasetNormalizer normalizer, ImageObsSpec images) {
        DemoDataset demos = DemoDataset.load(c.task());
        DatasetNormalizer norm = normalizer != null ? normalizer
                : DatasetNormalizer.fit(demos, c.task().obsNormalizer(), c.task().actionNormalizer());
        return windows(c, demos, norm, images);
    }

    /**
     * The demos, checked: non-finite values were refused while loading; outliers are printed as warnings, or
     * refused when task.outliers is refuse.
     */
    static DemoDataset loadChecked(StepConfig c, PrintStream progress) {
        DemoDataset demos = DemoDataset.load(c.task());
        DataValidator.Report r = demos.checks();
        if (r != null && r.outlierCount() > 0) {
            DataValidator.Finding first = r.outliers().get(0);
            String where = c.task().dataset() + ": " + r.outlierCount() + " value" + (r.outlierCount() == 1 ? "" : "s")
                    + " far outside their dimension's range, first " + first.describe();
            if (c.task().refuseOutliers())
                throw new UserError(where + " (task.outliers=refuse; `step data info " + c.task().dataset() + "` lists them)");
            if (progress != null) {
                progress.println("warning: " + where);
                progress.println("warning: the normaliser's range includes them; `step data info " + c.task().dataset()
                        + "` lists them, task.outliers=refuse stops here");
            }
        }
        return demos;
    }

    static Data windows(StepConfig c, DemoDataset demos, DatasetNormalizer norm, ImageObsSpec images) {
        int T = c.task().horizon(), To = c.task().nObsSteps(), Ta = c.task().nActionSteps();
        SequenceSampler trainSampler = new SequenceSampler(demos.trainEpisodes(), T, To, Ta, norm);
        SequenceSampler validSampler = demos.validEpisodes().isEmpty() ? null
                : new SequenceSampler(demos.validEpisodes(), T, To, Ta, norm);
        ImageWindows trainImages = null, validImages = null;
        if (images != null) {
            trainImages = imageWindows(c, trainSampler, demos.trainEpisodes(), images);
            if (validSampler != null) validImages = imageWindows(c, validSampler, demos.validEpisodes(), images);
        }
        return new Data(demos, norm, new SamplerWindows(trainSampler), validSampler == null ? null : new SamplerWindows(validSampler),
                trainImages, validImages);
    }

    public static Data loadData(StepConfig c, DatasetNormalizer normalizer) {
        return loadData(c, normalizer, null);
    }

    private static ImageWindows imageWindows(StepConfig c, SequenceSampler sampler, java.util.List<org.steppolicy.data.Episode> episodes,
                                             ImageObsSpec spec) {
        ImageFrames frames = ImageFrames.open(c.datasetPath(), c.task().imageKey(),
                episodes.stream().map(org.steppolicy.data.Episode::name).toList(), ImageFrames.DEFAULT_CACHE_BYTES);
        return new ImageWindows(sampler, frames, spec);
    }

    /** DP settings from the config; {@code trainWindows} sizes the epoch when max_steps is null. */
    public static DpTrainSettings dpSettings(StepConfig c, int trainWindows, Long maxSteps) {
        TrainingConfig t = c.training();
        var p = c.policy();
        // Inference samples on the schedule the checkpoint's config names, so training must not quietly use another.
        if (!"squaredcos_cap_v2".equals(p.betaSchedule()) || !"epsilon".equals(p.predictionType()))
            throw new UserError("policy.beta_schedule " + p.betaSchedule() + ", prediction_type " + p.predictionType()
                    + ": training supports squaredcos_cap_v2 with epsilon only (docs/reference/diffusion-policy.md B.3)");
        long steps = totalSteps(t, trainWindows, false, maxSteps);
        return new DpTrainSettings(c, steps);
    }

    public static PredictorTrainSettings predictorSettings(StepConfig c, int trainWindows, Long maxSteps) {
        TrainingConfig t = c.predictorTraining();
        if (t.emaEnabled()) throw new UserError("predictor_training.ema_enabled: the predictor trains without EMA (docs/reference/step-method.md)");
        long steps = totalSteps(t, trainWindows, true, maxSteps);
        PredictorNetConfig.Kind.parse(c.predictor().kind()); // an unknown kind fails here, before the data loads
        return new PredictorTrainSettings(c, steps);
    }

    private static long totalSteps(TrainingConfig t, int trainWindows, boolean dropLast, Long maxSteps) {
        if (maxSteps != null) {
            requireMaxSteps(maxSteps);
            return maxSteps;
        }
        if (t.maxSteps() != null) return t.maxSteps();
        long perEpoch = dropLast ? trainWindows / t.batchSize() : (trainWindows + t.batchSize() - 1) / t.batchSize();
        return Math.max(1, perEpoch) * t.numEpochs();
    }

    private static void requireMaxSteps(Long maxSteps) {
        if (maxSteps != null && maxSteps < 1) throw new UserError("--max-steps must be >= 1, got " + maxSteps);
    }

    /** {@code step train-dp}. */
    public static Trainer.Summary trainDp(StepConfig c, Path outDir, Long maxSteps, Path resume, PrintStream progress) {
        return trainDp(c, outDir, maxSteps, resume, RunOptions.DEFAULT, progress);
    }

    /**
     * {@code step train-dp}: claims the run folder (nothing is written before the config, the folder and the data
     * pass their checks), checks the data, and on --resume that data and normaliser are the run's.
     */
    public static Trainer.Summary trainDp(StepConfig c, Path outDir, Long maxSteps, Path resume, RunOptions o, PrintStream progress) {
        requireMaxSteps(maxSteps);
        Path from = resumeCheckpoint(resume, Checkpoint.KIND_DP);
        try (RunFolder folder = claim(outDir, from, o)) {
            ImageObsSpec images = ImageSpecs.dp(c);
            DemoDataset demos = loadChecked(c, progress);
            DataFingerprint data = DataFingerprint.of(demos);
            DatasetNormalizer norm = DatasetNormalizer.fit(demos, c.task().obsNormalizer(), c.task().actionNormalizer());
            if (from != null) norm = ResumeCheck.verify(from, data, norm, o.allowDataChange(), progress);
            InitialWeights init = initialWeights(o, from, Checkpoint.KIND_DP, norm, progress);
            Data d = windows(c, demos, norm, images);
            DpTrainSettings s = dpSettings(c, d.train().size(), maxSteps);
            DpTask task = (images == null ? DpTask.withUnet(s, d.train(), d.valid(), d.normalizer().toJson())
                    : DpTask.withImages(s, d.train(), d.valid(), d.trainImages(), d.validImages(), d.normalizer().toJson()))
                    .withConfigYaml(c.toYaml());
            if (progress != null) d.demos().actionConversion().ifPresent(cv -> progress.println("train-dp: " + cv.describe()));
            if (progress != null) progress.printf("train-dp: %d train / %d valid windows, %,d parameters, %d steps -> %s%n",
                    d.train().size(), d.valid() == null ? 0 : d.valid().size(), task.graph().parameterCount(), s.steps(), outDir);
            Trainer t = new Trainer(task, s.trainerSettings(), outDir, progress).withCheckpointFile(DataFingerprint.FILE, data.toJson());
            return run(initialised(t, init), from, s.steps(), budget(c.training()), progress);
        }
    }

    /** Runs with Ctrl-C turned into "finish the step, checkpoint, stop" for the duration of the loop. */
    private static Trainer.Summary run(Trainer t, Path from, long steps, java.time.Duration budget, PrintStream progress) {
        try (StopSignal stop = StopSignal.install(progress)) {
            return t.stopWhen(stop).run(from, steps, budget);
        }
    }

    /** The checkpoint --resume names (a checkpoint or a run folder's latest), checked to be of {@code kind}. */
    static Path resumeCheckpoint(Path resume, String kind) {
        if (resume == null) return null;
        if (!Files.exists(resume)) throw new UserError("--resume " + resume + ": no such checkpoint or run folder");
        Path ck = Checkpoint.resolve(resume);
        String k = Checkpoint.readMeta(ck).kind();
        if (!k.equals(kind)) throw new UserError("cannot resume from " + ck + ": it is a " + k + " checkpoint, this is " + kind + " training");
        return ck;
    }

    /**
     * The run folder a checkpoint belongs to ({@code RUN/checkpoints/step-N} -> RUN; a run folder -> itself);
     * null for a checkpoint outside a run's layout.
     */
    public static Path runDirOf(Path resume) {
        if (resume == null) return null;
        if (Files.isDirectory(resume.resolve(Checkpoint.RUN_SUBDIR))) return resume;
        Path ck = resume.toAbsolutePath().normalize();
        Path parent = ck.getParent();
        if (Files.isRegularFile(ck.resolve(Checkpoint.META)) && parent != null && parent.getFileName() != null
                && parent.getFileName().toString().equals(Checkpoint.RUN_SUBDIR)) return resume.resolve("../..").normalize();
        return null;
    }

    private static RunFolder claim(Path outDir, Path from, RunOptions o) {
        Path run = from == null ? null : runDirOf(from);
        boolean continues = run != null && samePath(run, outDir);
        return RunFolder.claim(outDir, RunFolder.Kind.TRAINING, o.force(), continues);
    }

    private static boolean samePath(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            // fall through to comparing the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** training.max_minutes as a wall-clock budget (null: none). */
    static java.time.Duration budget(org.steppolicy.config.TrainingConfig t) {
        return t.maxMinutes() == null ? null : java.time.Duration.ofMillis((long) (t.maxMinutes() * 60_000));
    }

    /**
     * {@code step train-predictor}: with {@code dpCheckpoint}, the DP's normaliser is used and must equal the one
     * fit on this data (same demos, same modes), else the run is refused.
     */
    public static Trainer.Summary trainPredictor(StepConfig c, Path outDir, Long maxSteps, Path resume, Path dpCheckpoint,
                                                 PrintStream progress) {
        return trainPredictor(c, outDir, maxSteps, resume, dpCheckpoint, RunOptions.DEFAULT, progress);
    }

    public static Trainer.Summary trainPredictor(StepConfig c, Path outDir, Long maxSteps, Path resume, Path dpCheckpoint,
                                                 RunOptions o, PrintStream progress) {
        requireMaxSteps(maxSteps);
        Path from = resumeCheckpoint(resume, Checkpoint.KIND_PREDICTOR);
        try (RunFolder folder = claim(outDir, from, o)) {
            return trainPredictorIn(c, outDir, maxSteps, from, dpCheckpoint, o, progress);
        }
    }

    private static Trainer.Summary trainPredictorIn(StepConfig c, Path outDir, Long maxSteps, Path from, Path dpCheckpoint,
                                                    RunOptions o, PrintStream progress) {
        DatasetNormalizer fromDp = null;
        if (dpCheckpoint != null) {
            Checkpoint dp = Checkpoint.load(dpCheckpoint);
            if (!Checkpoint.KIND_DP.equals(dp.kind())) throw new UserError(dpCheckpoint + " is a " + dp.kind() + " checkpoint, --dp needs a DP one");
            DpArch a = dp.dpArch();
            requireArch("obs_dim", a.obsDim(), ImageSpecs.stepDim(c), dpCheckpoint);
            requireArch("action_dim", a.actionDim(), c.task().actionDim(), dpCheckpoint);
            requireArch("horizon", a.horizon(), c.task().horizon(), dpCheckpoint);
            requireArch("n_obs_steps", a.nObsSteps(), c.task().nObsSteps(), dpCheckpoint);
            fromDp = DatasetNormalizer.fromJson(dp.normalizerJson());
        }
        ImageObsSpec images = ImageSpecs.predictor(c);
        DemoDataset demos = loadChecked(c, progress);
        DataFingerprint data = DataFingerprint.of(demos);
        DatasetNormalizer fit = DatasetNormalizer.fit(demos, c.task().obsNormalizer(), c.task().actionNormalizer());
        if (fromDp != null) {
            String diff = JsonDifference.first(readTree(fromDp.toJson()), readTree(fit.toJson()), "the checkpoint", "the data");
            if (diff != null) throw new UserError("normaliser of " + dpCheckpoint + " differs from the one fit on "
                    + c.task().dataset() + " (" + diff + "): train the predictor on the DP's data and normaliser modes");
        }
        DatasetNormalizer norm = fromDp != null ? fromDp : fit;
        if (from != null) norm = ResumeCheck.verify(from, data, norm, o.allowDataChange(), progress);
        InitialWeights init = initialWeights(o, from, Checkpoint.KIND_PREDICTOR, norm, progress);
        Data d = windows(c, demos, norm, images);
        PredictorTrainSettings s = predictorSettings(c, d.train().size(), maxSteps);
        PredictorTask task = new PredictorTask(s, d.train(), d.valid(), d.trainImages(), d.validImages(), d.normalizer().toJson())
                .withConfigYaml(c.toYaml());
        if (progress != null) d.demos().actionConversion().ifPresent(cv -> progress.println("train-predictor: " + cv.describe()));
        if (progress != null) progress.printf("train-predictor (%s): %d train / %d valid windows, %,d parameters, %d steps -> %s%n",
                s.kind().id(), d.train().size(), d.valid() == null ? 0 : d.valid().size(), task.graph().parameterCount(), s.steps(), outDir);
        if (progress != null && d.valid() != null && d.valid().size() > 0)
            // The temporal-only start (previous chunk shifted by Ta) is the bar a predictor has to beat.
            progress.printf("validation MSE of the previous chunk shifted by Ta (temporal-only start): %.6f%n",
                    PredictorTask.shiftedPreviousChunkMse(d.valid(), c.task().nActionSteps()));
        Trainer t = new Trainer(task, s.trainerSettings(), outDir, progress).withCheckpointFile(DataFingerprint.FILE, data.toJson());
        return run(initialised(t, init), from, s.steps(), budget(c.predictorTraining()), progress);
    }

    /** BRIDGeR settings from the config (bridger, bridger_training, the policy section's U-Net sizes). */
    public static BridgerTrainSettings bridgerSettings(StepConfig c, int trainWindows, Long maxSteps) {
        long steps = totalSteps(c.bridgerTraining(), trainWindows, false, maxSteps);
        return new BridgerTrainSettings(c, steps);
    }

    /**
     * {@code step train-bridger}: BRIDGeR's velocity and score networks on the task's data (docs/bridger.md), with the
     * same run folder, data checks, resume checks, checkpoints and bookkeeping as train-dp. Low-dim tasks only.
     */
    public static Trainer.Summary trainBridger(StepConfig c, Path outDir, Long maxSteps, Path resume, RunOptions o, PrintStream progress) {
        requireMaxSteps(maxSteps);
        if (c.task().hasImages())
            throw new UserError("train-bridger: visuomotor configs (task.image_key) are not supported yet; use a low-dim config");
        Path from = resumeCheckpoint(resume, Checkpoint.KIND_BRIDGER);
        try (RunFolder folder = claim(outDir, from, o)) {
            DemoDataset demos = loadChecked(c, progress);
            DataFingerprint data = DataFingerprint.of(demos);
            DatasetNormalizer norm = DatasetNormalizer.fit(demos, c.task().obsNormalizer(), c.task().actionNormalizer());
            if (from != null) norm = ResumeCheck.verify(from, data, norm, o.allowDataChange(), progress);
            InitialWeights init = initialWeights(o, from, Checkpoint.KIND_BRIDGER, norm, progress);
            Data d = windows(c, demos, norm, null);
            BridgerTrainSettings s = bridgerSettings(c, d.train().size(), maxSteps);
            BridgerTask task = new BridgerTask(s, d.train(), d.valid(), d.normalizer().toJson()).withConfigYaml(c.toYaml());
            if (progress != null) d.demos().actionConversion().ifPresent(cv -> progress.println("train-bridger: " + cv.describe()));
            if (progress != null) progress.printf("train-bridger (source %s, interpolant %s): %d train / %d valid windows, %,d parameters, %d steps -> %s%n",
                    c.bridger().source(), s.interpolant().describe(), d.train().size(), d.valid() == null ? 0 : d.valid().size(),
                    task.graph().parameterCount(), s.steps(), outDir);
            Trainer t = new Trainer(task, s.trainerSettings(), outDir, progress).withCheckpointFile(DataFingerprint.FILE, data.toJson());
            return run(initialised(t, init), from, s.steps(), budget(c.bridgerTraining()), progress);
        }
    }

    /**
     * {@code step bench train}: the DP train step at the config's batch size: its U-Net, or for a visuomotor config
     * (task.image_key) the image DP, encoder and U-Net end to end.
     */
    public static TrainBench.Result benchDp(StepConfig c, int warmup, int steps, PrintStream progress) {
        DpTrainSettings s = dpSettings(c, c.training().batchSize(), 1000L);
        ImageObsSpec images = ImageSpecs.dp(c);
        if (images != null) return TrainBench.runImage(s, images, c.task().actionDim(), warmup, steps, progress);
        return TrainBench.run(s, c.task().obsDim(), c.task().actionDim(), warmup, steps, progress);
    }

    /** {@code step bench train --model image}: {@link #benchDp} on a config that must have task.image_key. */
    public static TrainBench.Result benchImageDp(StepConfig c, int warmup, int steps, PrintStream progress) {
        if (!c.task().hasImages())
            throw new UserError("--model image needs a visuomotor config (task.image_key), e.g. configs/pusht_image-small.yaml");
        return benchDp(c, warmup, steps, progress);
    }

    /** {@code step bench train --model predictor}: the predictor's train step at predictor_training.batch_size. */
    public static TrainBench.Result benchPredictor(StepConfig c, int warmup, int steps, PrintStream progress) {
        return TrainBench.runPredictor(new PredictorTrainSettings(c, 1000L), c.task().obsDim(), c.task().actionDim(),
                warmup, steps, progress);
    }

    private static void requireArch(String what, int value, int expected, Path ckpt) {
        if (value != expected) throw new UserError(ckpt + ": DP " + what + " is " + value + ", the config says " + expected);
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
