package org.steppolicy.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DataFingerprint;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.DemoDataset;
import org.steppolicy.models.BridgerArch;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.CvaeArch;
import org.steppolicy.models.DpArch;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.ImageSpecs;
import org.steppolicy.models.TensorStore;
import org.steppolicy.run.RunFolder;

/**
 * The three training jobs the CLI runs (train-dp, train-predictor, train-bridger): each puts together the run start
 * ({@link RunStart}), the data ({@link TrainingData}) and the settings ({@link TrainSettings}) for one network.
 * {@code maxSteps} (when not null) overrides training.max_steps; null keeps the config's.
 */
public final class TrainRuns {
    private TrainRuns() {}

    /** {@code step train-dp}. */
    public static Trainer.Summary trainDp(StepConfig c, Path outDir, Long maxSteps, Path resume, PrintStream progress) {
        return trainDp(c, outDir, maxSteps, resume, RunOptions.DEFAULT, progress);
    }

    /**
     * {@code step train-dp}: claims the run folder (nothing is written before the config, the folder and the data
     * pass their checks), checks the data, and on --resume that data and normaliser are the run's.
     */
    public static Trainer.Summary trainDp(StepConfig c, Path outDir, Long maxSteps, Path resume, RunOptions o, PrintStream progress) {
        TrainSettings.requireMaxSteps(maxSteps);
        Path from = RunStart.resumeCheckpoint(resume, Checkpoint.KIND_DP);
        try (RunFolder folder = RunStart.claim(outDir, from, o)) {
            ImageObsSpec images = ImageSpecs.dp(c);
            RunData r = RunData.load(c, from, o, Checkpoint.KIND_DP, images, fit -> fit, progress);
            TrainingData d = r.windows();
            DpTrainSettings s = TrainSettings.dp(c, d.train().size(), maxSteps);
            DpTask task = (images == null ? DpTask.withUnet(s, d.train(), d.valid(), d.normalizer().toJson())
                    : DpTask.withImages(s, d.train(), d.valid(), d.trainImages(), d.validImages(), d.normalizer().toJson()))
                    .withConfigYaml(c.toYaml());
            if (progress != null) d.demos().actionConversion().ifPresent(cv -> progress.println("train-dp: " + cv.describe()));
            if (progress != null) progress.printf("train-dp: %d train / %d valid windows, %,d parameters, %d steps -> %s%n",
                    d.train().size(), d.valid() == null ? 0 : d.valid().size(), task.graph().parameterCount(), s.steps(), outDir);
            return r.train(task, s.trainerSettings(), outDir, from, s.steps(), TrainSettings.budget(c.training()), progress);
        }
    }

    /** Runs with Ctrl-C turned into "finish the step, checkpoint, stop" for the duration of the loop. */
    private static Trainer.Summary run(Trainer t, Path from, long steps, Duration budget, PrintStream progress) {
        try (StopSignal stop = StopSignal.install(progress)) {
            return t.stopWhen(stop).run(from, steps, budget);
        }
    }

    /**
     * What every training run (dp, predictor, bridger) starts from, in one order: the checked demos and their
     * fingerprint, the normaliser fit on them (or the one {@code choose} puts in its place), checked on --resume
     * against the run's, the initial weights of the checkpoint kind, and the training windows.
     */
    private record RunData(DataFingerprint fingerprint, InitialWeights init, TrainingData windows) {
        static RunData load(StepConfig c, Path from, RunOptions o, String kind, ImageObsSpec images,
                            UnaryOperator<DatasetNormalizer> choose, PrintStream progress) {
            DemoDataset demos = TrainingData.loadChecked(c, progress);
            DataFingerprint data = DataFingerprint.of(demos);
            DatasetNormalizer norm = choose.apply(DatasetNormalizer.fit(demos, c.task().obsNormalizer(), c.task().actionNormalizer()));
            if (from != null) norm = ResumeCheck.verify(from, data, norm, o.allowDataChange(), progress);
            InitialWeights init = RunStart.initialWeights(o, from, kind, norm, progress);
            return new RunData(data, init, TrainingData.windows(c, demos, norm, images));
        }

        /** Trains {@code task} in {@code outDir} from these weights, the data's fingerprint beside every checkpoint. */
        Trainer.Summary train(TrainTask task, Trainer.Settings settings, Path outDir, Path from, long steps, Duration budget,
                              PrintStream progress) {
            Trainer t = new Trainer(task, settings, outDir, progress).withCheckpointFile(DataFingerprint.FILE, fingerprint.toJson());
            return run(RunStart.initialised(t, init), from, steps, budget, progress);
        }
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
        TrainSettings.requireMaxSteps(maxSteps);
        Path from = RunStart.resumeCheckpoint(resume, Checkpoint.KIND_PREDICTOR);
        try (RunFolder folder = RunStart.claim(outDir, from, o)) {
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
        DatasetNormalizer dpNorm = fromDp;
        RunData r = RunData.load(c, from, o, Checkpoint.KIND_PREDICTOR, images, fit -> {
            if (dpNorm == null) return fit;
            String diff = JsonDifference.first(JsonDifference.tree(dpNorm.toJson()), JsonDifference.tree(fit.toJson()), "the checkpoint", "the data");
            if (diff != null) throw new UserError("normaliser of " + dpCheckpoint + " differs from the one fit on "
                    + c.task().dataset() + " (" + diff + "): train the predictor on the DP's data and normaliser modes");
            return dpNorm;
        }, progress);
        TrainingData d = r.windows();
        PredictorTrainSettings s = TrainSettings.predictor(c, d.train().size(), maxSteps);
        PredictorTask task = new PredictorTask(s, d.train(), d.valid(), d.trainImages(), d.validImages(), d.normalizer().toJson())
                .withConfigYaml(c.toYaml());
        if (progress != null) d.demos().actionConversion().ifPresent(cv -> progress.println("train-predictor: " + cv.describe()));
        if (progress != null) progress.printf("train-predictor (%s): %d train / %d valid windows, %,d parameters, %d steps -> %s%n",
                s.kind().id(), d.train().size(), d.valid() == null ? 0 : d.valid().size(), task.graph().parameterCount(), s.steps(), outDir);
        if (progress != null && d.valid() != null && d.valid().size() > 0)
            // The temporal-only start (previous chunk shifted by Ta) is the bar a predictor has to beat.
            progress.printf("validation MSE of the previous chunk shifted by Ta (temporal-only start): %.6f%n",
                    PredictorTask.shiftedPreviousChunkMse(d.valid(), c.task().nActionSteps()));
        return r.train(task, s.trainerSettings(), outDir, from, s.steps(), TrainSettings.budget(c.predictorTraining()), progress);
    }

    private static void requireArch(String what, int value, int expected, Path ckpt) {
        if (value != expected) throw new UserError(ckpt + ": DP " + what + " is " + value + ", the config says " + expected);
    }

    /** Sub-folder of a train-bridger run holding the CVAE source's own run (checkpoints, metrics.csv, loss.png). */
    public static final String SOURCE_RUN = "source";

    /**
     * {@code step train-bridger}: BRIDGeR's velocity and score networks on the task's data (docs/bridger.md), with the
     * same run folder, data checks, resume checks, checkpoints and bookkeeping as train-dp. Low-dim tasks only. With
     * bridger.source = cvae the CVAE source is trained first (bridger.source_steps steps, in RUN/source) and every
     * BRIDGeR checkpoint carries its decoder ({@value Checkpoint#SOURCE_TENSORS}); --resume continues either phase.
     */
    public static Trainer.Summary trainBridger(StepConfig c, Path outDir, Long maxSteps, Path resume, RunOptions o, PrintStream progress) {
        TrainSettings.requireMaxSteps(maxSteps);
        if (c.task().hasImages())
            throw new UserError("train-bridger: visuomotor configs (task.image_key) are not supported yet; use a low-dim config");
        boolean cvae = c.bridger().cvaeSource();
        // Stopped during the CVAE phase: the run has no BRIDGeR checkpoint yet, only the source's.
        Path sourceFrom = cvae && resume != null && Files.isDirectory(resume) && Checkpoint.list(resume).isEmpty()
                && !Files.isRegularFile(resume.resolve(Checkpoint.META))
                ? RunStart.resumeCheckpoint(resume.resolve(SOURCE_RUN), Checkpoint.KIND_CVAE) : null;
        Path from = sourceFrom != null ? null : RunStart.resumeCheckpoint(resume, Checkpoint.KIND_BRIDGER);
        try (RunFolder folder = sourceFrom != null ? RunStart.claimContinuing(outDir, resume, o) : RunStart.claim(outDir, from, o)) {
            DemoDataset demos = TrainingData.loadChecked(c, progress);
            DataFingerprint data = DataFingerprint.of(demos);
            DatasetNormalizer norm = DatasetNormalizer.fit(demos, c.task().obsNormalizer(), c.task().actionNormalizer());
            if (from != null || sourceFrom != null) norm = ResumeCheck.verify(from != null ? from : sourceFrom, data, norm, o.allowDataChange(), progress);
            InitialWeights init = RunStart.initialWeights(o, from, Checkpoint.KIND_BRIDGER, norm, progress);
            TrainingData d = TrainingData.windows(c, demos, norm, null);
            BridgerTrainSettings s = TrainSettings.bridger(c, d.train().size(), maxSteps);
            BridgerSource source = BridgerSource.GAUSSIAN;
            TensorStore decoder = null;
            if (cvae) {
                BridgerArch arch = s.arch(d.train().obsDim(), d.train().actionDim());
                if (from != null) {
                    Object was = Checkpoint.readMeta(from).arch().get(BridgerArch.SOURCE);
                    if (!BridgerArch.CVAE.equals(was))
                        throw new UserError("cannot resume from " + from + ": it was trained with the " + was + " source, the config says bridger.source = cvae");
                    decoder = Checkpoint.load(from).extraTensors(Checkpoint.SOURCE_TENSORS);
                } else {
                    CvaePhase phase = trainCvae(c, s, arch, d, data, outDir.resolve(SOURCE_RUN), sourceFrom, progress);
                    if (phase.unfinished() != null) return phase.unfinished();   // out of time: --resume continues the CVAE
                    decoder = phase.decoder();
                }
                source = BridgerSource.cvae(arch.cvae().decoder(), decoder);
            }
            BridgerTask task = new BridgerTask(s, d.train(), d.valid(), d.normalizer().toJson(), null, source).withConfigYaml(c.toYaml());
            if (progress != null) d.demos().actionConversion().ifPresent(cv -> progress.println("train-bridger: " + cv.describe()));
            if (progress != null) progress.printf("train-bridger (source %s, interpolant %s): %d train / %d valid windows, %,d parameters, %d steps -> %s%n",
                    c.bridger().source(), s.interpolant().describe(), d.train().size(), d.valid() == null ? 0 : d.valid().size(),
                    task.graph().parameterCount(), s.steps(), outDir);
            Trainer t = new Trainer(task, s.trainerSettings(), outDir, progress).withCheckpointFile(DataFingerprint.FILE, data.toJson());
            if (decoder != null) t.withCheckpointTensors(Checkpoint.SOURCE_TENSORS, decoder);
            return run(RunStart.initialised(t, init), from, s.steps(), TrainSettings.budget(c.bridgerTraining()), progress);
        }
    }

    /** The CVAE phase's outcome: the decoder's (EMA) weights, or the summary of a run that stopped on its time budget. */
    private record CvaePhase(TensorStore decoder, Trainer.Summary unfinished) {}

    /** Trains (or, from {@code from}, continues) the CVAE source in {@code dir} to bridger.source_steps; a finished run is not retrained. */
    private static CvaePhase trainCvae(StepConfig c, BridgerTrainSettings s, BridgerArch arch, TrainingData d, DataFingerprint data,
                                       Path dir, Path from, PrintStream progress) {
        CvaeArch cvae = arch.cvae();
        long steps = c.bridger().sourceSteps();
        Path last = from;
        if (from == null || Checkpoint.readMeta(from).step() < steps) {
            Map<String, Object> archMap = arch.policy().toArch();
            cvae.putArch(archMap);
            CvaeTask task = new CvaeTask(cvae, c.bridger().cvaeBeta(), archMap, s.seed(), s.batchSize(), s.nObsSteps(),
                    d.train(), d.valid(), d.normalizer().toJson(), c.toYaml());
            if (progress != null) progress.printf("train-bridger: CVAE source (latent %d, hidden %s, beta %s): %,d parameters, %d steps -> %s%n",
                    cvae.latentDim(), cvae.hidden(), c.bridger().cvaeBeta(), task.graph().parameterCount(), steps, dir);
            Trainer t = new Trainer(task, s.sourceTrainerSettings(), dir, progress).withCheckpointFile(DataFingerprint.FILE, data.toJson());
            Trainer.Summary sum = run(t, from, steps, TrainSettings.budget(c.bridgerTraining()), progress);
            if (sum.lastStep() < steps) return new CvaePhase(null, sum);
            last = sum.lastCheckpoint();
        }
        return new CvaePhase(cvae.decoder().select(Checkpoint.load(last).evalParams()), null);
    }
}
