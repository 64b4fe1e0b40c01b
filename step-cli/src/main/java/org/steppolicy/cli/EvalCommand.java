package org.steppolicy.cli;

import org.steppolicy.cli.eval.CheckpointModels;
import org.steppolicy.cli.eval.ClosedLoopEvaluation;
import org.steppolicy.cli.eval.EvalReport;
import org.steppolicy.cli.eval.MethodResult;
import org.steppolicy.cli.eval.OfflineReport;
import org.steppolicy.cli.eval.ServerEvaluation;
import org.steppolicy.config.Require;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DemoDataset;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.OfflineEvaluation;
import org.steppolicy.infer.OfflineResult;
import org.steppolicy.infer.OfflineWindow;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PolicyRunner;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.serve.ServeConfig;
import org.steppolicy.run.RunFolder;
import org.steppolicy.sim.Evaluator;
import org.steppolicy.sim.ImageObservation;
import org.steppolicy.sim.PushTObservation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code step eval}: every method over the same trained DP, in closed loop in the Java Push-T simulator (or, for
 * tasks without a simulator, offline on the valid demos), with the table, results.json, plot and videos.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate methods (ddpm, ddim, dpmsolver, step, spatial, temporal, predictor) on one trained DP.")
public final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--dp", paramLabel = "DIR", description = "DP checkpoint (or run directory: its best/latest); not with --server.")
    Path dp;

    @Option(names = "--predictor", paramLabel = "DIR", description = "Predictor checkpoint(s): one of kind step, one of kind spatial (repeat the option).")
    List<Path> predictors = new ArrayList<>();

    @Option(names = "--methods", paramLabel = "LIST", description = "Comma-separated, e.g. ddpm:100,ddim:2,step:2. Default: eval.methods.")
    String methods;

    @Option(names = "--episodes", paramLabel = "N", description = "Episodes per method. Default: eval.episodes (50).")
    Integer episodes;

    @Option(names = "--seed", paramLabel = "S", description = "First episode seed. Default: eval.seed (100000).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Parallel environments. Default: eval.threads.")
    Integer threads;

    @Option(names = "--runtime", paramLabel = "NAME", description = "onnx or samediff. Default: inference.runtime.")
    String runtime;

    @Option(names = "--videos", paramLabel = "N", description = "GIFs of the first N episodes per method. Default: eval.videos.")
    Integer videos;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: runs/eval-<task>.")
    Path out;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "Run every policy call on a `step serve` server (same config) instead of in-process.")
    String server;

    @Option(names = "--server-token-file", paramLabel = "FILE", description = "Token for a server started with --token-file.")
    Path serverToken;
    @Option(names = "--force", description = "Replace an evaluation that is in --out.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        StepConfig c = config.resolve();
        List<MethodSpec> specs = parseMethods(methods != null ? methods : c.eval().methods());
        int n = episodes != null ? episodes : c.eval().episodes();
        long s0 = seed != null ? seed : c.eval().seed();
        int nThreads = threads != null ? threads : c.eval().threads();
        int nVideos = videos != null ? videos : c.eval().videos();
        RuntimeKind rt = RuntimeKind.parse(runtime != null ? runtime : c.inference().runtime());
        Path dir = out != null ? out : Path.of("runs", "eval-" + c.task().name());
        if (server == null && dp == null) throw new UserError("give --dp DIR (or --server HOST:PORT)");
        if (server != null && (dp != null || !predictors.isEmpty())) throw new UserError("--server takes no --dp/--predictor: the server has the models");
        List<MethodResult> results = server != null
                ? ServerEvaluation.run(server, serverToken == null ? null : ServeConfig.readToken(serverToken), c, specs, n, s0, nThreads, nVideos, dir, o, force)
                : run(c, dp, predictors, specs, n, s0, nThreads, nVideos, rt, dir, o, force);
        if (results != null) {
            o.println();
            o.print(EvalReport.markdown(results));
        }
        o.println("wrote " + dir);
        return 0;
    }

    static List<MethodSpec> parseMethods(String csv) {
        try {
            return MethodSpec.parseList(csv);
        } catch (IllegalArgumentException e) {
            throw new UserError("--methods: " + e.getMessage());
        }
    }

    /** The whole evaluation; returns the closed-loop results (null for an offline evaluation). */
    static List<MethodResult> run(StepConfig c, Path dpDir, List<Path> predictorDirs, List<MethodSpec> specs, int episodes,
                                  long seed, int threads, int videos, RuntimeKind runtime, Path dir, PrintWriter log, boolean force) {
        Require.atLeast("--episodes", episodes, 1);
        Require.atLeast("--threads", threads, 1);
        Require.atLeast("--videos", videos, 0);
        PolicyBundle dp = PolicyLoader.fromCheckpoints(dpDir, null);
        List<PredictorBundle> preds = new ArrayList<>();
        for (Path p : predictorDirs) preds.add(PolicyLoader.predictorFromCheckpoint(p));
        CheckpointModels models = new CheckpointModels(dp, preds, runtime, 1);
        InferenceSettings settings = InferenceSettings.from(c.inference());
        // Every mismatch (normaliser, horizon, action dim, missing predictor) fails here, before any rollout.
        for (MethodSpec m : specs) {
            models.requireFor(m.method(), m.label());
            StepPolicy.open(models::open, m.config(settings)).close(); // a mismatch is a UserError naming the method
        }
        // Refuses a folder holding another run; its lock is released when the command ends (StepCli.run).
        RunFolder.claim(dir, RunFolder.Kind.EVALUATION, force, false).writeText("config.yaml", c.toYaml());
        if (!c.task().hasSimulator()) {
            List<OfflineResult> offline = offline(c, dp, models, settings, specs, seed, log);
            OfflineReport.write(offline, dir);
            log.println();
            log.print(OfflineReport.markdown(offline));
            return null;
        }
        Evaluator evaluator = new Evaluator(c.task().nObsSteps(), c.task().evalMaxSteps(), observation(dp, dpDir));
        ClosedLoopEvaluation eval = new ClosedLoopEvaluation(models, settings, evaluator, threads);
        List<MethodResult> results = new ArrayList<>();
        for (MethodSpec m : specs) {
            results.add(eval.run(m, seed, episodes, videos, videos > 0 ? dir.resolve("videos") : null, line -> {
                log.println(line);
                log.flush();
            }));
            EvalReport.write(results, dir, c.task().name() + ": " + episodes + " episodes from seed " + seed);
        }
        return results;
    }

    /** What the checkpoint's policy observes in the simulator: keypoints, or rendered frames cropped as in training. */
    static PushTObservation observation(PolicyBundle dp, Path dpDir) {
        if (!dp.hasImages()) {
            if (dp.shape().obsDim() != 20)
                throw new UserError(dpDir + ": the Push-T simulator observes 20 keypoint values, the DP expects " + dp.shape().obsDim());
            return PushTObservation.KEYPOINTS;
        }
        var spec = dp.encoder().spec();
        if (spec.lowDim() != 2)
            throw new UserError(dpDir + ": a Push-T image policy observes agent_pos (2 values) besides the frame, this one " + spec.lowDim());
        return new ImageObservation(spec.height(), spec.width());
    }

    static List<OfflineResult> offline(StepConfig c, PolicyBundle dp, CheckpointModels models, InferenceSettings settings,
                                       List<MethodSpec> specs, long seed, PrintWriter log) {
        DemoDataset data = DemoDataset.load(c.task());
        List<List<OfflineWindow>> episodes = new ArrayList<>();
        var shape = new org.steppolicy.infer.PolicyShape(c.task().nObsSteps(), c.task().nActionSteps(), c.task().horizon(),
                dp.shape().obsDim(), c.task().actionDim());
        for (var e : data.validEpisodes()) {
            float[][] obs = dp.hasImages() ? withFrames(c, e, dp.encoder().spec()) : e.obs();
            episodes.add(OfflineWindow.ofEpisode(obs, e.actions(), shape));
        }
        if (episodes.isEmpty()) throw new UserError(c.task().dataset() + ": no valid demos for the offline evaluation");
        List<OfflineResult> out = new ArrayList<>();
        for (MethodSpec m : specs) {
            PolicyModels pm = models.open(m.method());
            try {
                OfflineResult r = OfflineEvaluation.evaluate(new PolicyRunner(pm, m.config(settings)), episodes, seed);
                log.printf("%-14s action MSE (chunk) %.5f  latency p50 %.2f ms%n", m.label(), r.mseChunk(), r.latency().medianMs());
                log.flush();
                out.add(r);
            } finally {
                closeQuietly(pm);
            }
        }
        return out;
    }

    /** An image policy's raw observations of a recorded episode: the low-dim keys, then the centre-cropped frame. */
    static float[][] withFrames(StepConfig c, org.steppolicy.data.Episode e, org.steppolicy.models.ImageObsSpec spec) {
        if (!c.task().hasImages()) throw new UserError("the DP reads images: set task.image_key (e.g. configs/pusht_image.yaml)");
        try (var frames = org.steppolicy.data.ImageFrames.open(c.datasetPath(), c.task().imageKey(), List.of(e.name()), Long.MAX_VALUE)) {
            byte[] ep = frames.episodeFrames(0);
            int top = org.steppolicy.data.ImageCrop.centre(frames.height(), spec.height());
            int left = org.steppolicy.data.ImageCrop.centre(frames.width(), spec.width());
            float[][] out = new float[e.length()][spec.stepDim()];
            for (int t = 0; t < e.length(); t++) {
                System.arraycopy(e.obs()[t], 0, out[t], 0, spec.lowDim());
                org.steppolicy.data.ImageCrop.toChw(ep, frames.offset(0, t), frames.height(), frames.width(), frames.channels(),
                        top, left, spec.height(), spec.width(), out[t], spec.lowDim());
            }
            return out;
        }
    }

    static void closeQuietly(PolicyModels m) {
        try {
            m.denoiser().close();
            if (m.predictor() != null) m.predictor().close();
        } catch (Exception ignored) {
            // closing a runtime session frees memory only
        }
    }
}
