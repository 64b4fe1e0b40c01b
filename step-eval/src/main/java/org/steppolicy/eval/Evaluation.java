package org.steppolicy.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.policy.ModelSource;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.infer.runtime.OnnxExportFolder;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.run.RunFolder;
import org.steppolicy.sim.ImageObservation;
import org.steppolicy.sim.PushTObservation;

/**
 * The evaluation entry point: every method of a request over the same trained DP (checkpoints, or an export-onnx
 * folder on ONNX Runtime), in closed loop in the Java Push-T
 * simulator (tasks with one; in process or through a policy server) or offline on the valid demos (the others), writing the config, the table,
 * results.json, the score-vs-latency plot and GIFs into the request's folder.
 */
public final class Evaluation {
    private Evaluation() {}

    /** Runs the request, printing one line per method to {@code log}. */
    public static EvalSummary run(EvalRequest r, PrintWriter log) {
        return run(r, log, () -> false);
    }

    /**
     * As {@link #run(EvalRequest, PrintWriter)}, stopping early once {@code stop} is true (Ctrl-C: {@code StopSignal}):
     * no episode starts after that, the running ones finish, and the results written so far (finished methods whole,
     * the interrupted one with its episodes done, marked partial) stay in the folder; then {@link EvalInterrupted}.
     * With {@link EvalRequest#resume()} only what the folder's results lack runs, and they are rewritten complete.
     * The request checked its own values when it was made.
     */
    public static EvalSummary run(EvalRequest r, PrintWriter log, BooleanSupplier stop) {
        if (r.server() != null) return throughServer(r, log);
        StepConfig c = r.config();
        Path dir = r.out();
        if (r.methods().isEmpty()) throw new UserError("no methods to evaluate");
        checkCompare(r.compare(), r.methods());
        if (r.compare() != null && !c.task().hasSimulator())
            throw new UserError("--compare: paired differences are of closed-loop scores; task " + c.task().name() + " is evaluated offline");
        LoadedPolicy policy = LoadedPolicy.load(c, r.dp(), r.predictors());
        ModelSource models = policy.models(r.runtime());
        InferenceSettings settings = InferenceSettings.from(c.inference());
        // Every mismatch (normaliser, horizon, action dim, missing predictor) fails here, before any rollout.
        for (MethodSpec m : r.methods()) policy.check(m, models, settings);
        EvalReport.Source source = source(r);
        // What was asked is what config.yaml records, so that `step eval --resume DIR` alone asks it again.
        StepConfig written = recorded(r);
        List<MethodResult> done = r.resume() ? EvalResume.check(dir, written, source) : List.of();
        claim(r, written, r.resume());
        if (c.task().hasSimulator()) {
            String title = c.task().name() + ": " + r.episodes() + " episodes from seed " + r.seed();
            return closedLoop(policy.closedLoop(c, models, r.threads()), r.methods(), done, r, title, source, log, stop);
        }
        List<OfflineResult> offline = OfflineEvaluation.run(c, policy.dp(), config -> StepPolicy.open(models, config),
                settings, r.methods(), r.seed(), log);
        OfflineReport.write(offline, dir);
        return new EvalSummary(dir, List.of(), offline, null);
    }

    /**
     * Every policy call on the request's server: the methods it serves (or those asked), run and written as in-process,
     * but neither resumable nor stopped early, and config.yaml is the config as given.
     */
    private static EvalSummary throughServer(EvalRequest r, PrintWriter log) {
        StepConfig c = r.config();
        Path dir = r.out();
        ServerEvaluation.Served served = ServerEvaluation.connect(r.server(), c, r.methods(), r.compare(), r.threads(), log);
        claim(r, c, false);
        String title = c.task().name() + " via " + r.server().target() + ": " + r.episodes() + " episodes from seed " + r.seed();
        return closedLoop(served.closedLoop(), served.methods(), List.of(), r, title, null, log, () -> false);
    }

    /**
     * Claims the request's folder, refusing one that holds another run (its lock is released when the command ends:
     * StepCli.run), and writes {@code written} as its config.yaml unless the run resumes.
     */
    private static void claim(EvalRequest r, StepConfig written, boolean resume) {
        RunFolder folder = RunFolder.claim(r.out(), RunFolder.Kind.EVALUATION, r.force(), resume);
        if (!resume) folder.writeText("config.yaml", written.toYaml());
    }

    /**
     * Runs each method in turn (one that {@code done} holds complete is kept, a partial one continued from its next
     * seed), rewriting the folder's results after every method, so that an interruption loses at most the running
     * episodes; {@code source} (null: none) is what results.json records as evaluated.
     */
    private static EvalSummary closedLoop(ClosedLoopEvaluation eval, List<MethodSpec> methods, List<MethodResult> done,
                                          EvalRequest r, String title, EvalReport.Source source, PrintWriter log,
                                          BooleanSupplier stop) {
        Path dir = r.out();
        Path videos = r.videos() > 0 ? dir.resolve("videos") : null;
        List<MethodResult> results = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            MethodSpec m = methods.get(i);
            MethodResult before = i < done.size() ? done.get(i) : null;
            if (before != null && before.complete()) {
                results.add(before);
                continue;
            }
            if (stop.getAsBoolean()) break;
            int skip = before == null ? 0 : before.episodes();
            MethodResult now = eval.run(m, r.seed(), skip, r.episodes(), r.videos(), videos, line -> {
                log.println(line);
                log.flush();
            }, stop);
            MethodResult merged = before == null ? now : EvalResume.merge(before, now);
            if (merged.episodes() > 0) results.add(merged);
            if (merged.episodes() > 0 || !results.isEmpty()) EvalReport.write(results, r.compare(), dir, title, source);
            if (!merged.complete()) break;
        }
        if (results.size() < methods.size() || !results.get(results.size() - 1).complete())
            throw EvalInterrupted.of(dir, r.compare(), methods.size(), results);
        return new EvalSummary(dir, results, List.of(), r.compare());
    }

    /** The request's config with its methods, episodes and seed in the eval section (what config.yaml records). */
    static StepConfig recorded(EvalRequest r) {
        return r.config().with("eval.methods=" + String.join(",", r.methods().stream().map(MethodSpec::label).toList()),
                "eval.episodes=" + r.episodes(), "eval.seed=" + r.seed(), "eval.videos=" + r.videos());
    }

    /** The DP and predictors as given (absolute), recorded in results.json and checked by --resume. */
    static EvalReport.Source source(EvalRequest r) {
        return new EvalReport.Source(r.dp().toAbsolutePath().normalize().toString(),
                r.predictors().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
    }

    /** A {@code compare} label (null: none) must be one of the methods: else a one-line {@link UserError}, before any rollout. */
    static void checkCompare(String compare, List<MethodSpec> methods) {
        if (compare == null) return;
        List<String> labels = methods.stream().map(MethodSpec::label).toList();
        if (!labels.contains(compare))
            throw new UserError("--compare " + compare + ": not among the evaluated methods (" + String.join(", ", labels) + ")");
    }

    /** What the checkpoint's policy observes in the simulator: keypoints, or rendered frames cropped as in training. */
    /** Keypoints for a low-dim policy ({@code image} null), else frames of the policy's crop size. */
    static PushTObservation observation(int obsDim, OnnxExportFolder.ImageInput image, Path dpDir) {
        if (image == null) {
            if (obsDim != 20)
                throw new UserError(dpDir + ": the Push-T simulator observes 20 keypoint values, the DP expects " + obsDim);
            return PushTObservation.KEYPOINTS;
        }
        if (image.lowDim() != 2)
            throw new UserError(dpDir + ": a Push-T image policy observes agent_pos (2 values) besides the frame, this one " + image.lowDim());
        return new ImageObservation(image.height(), image.width());
    }
}
