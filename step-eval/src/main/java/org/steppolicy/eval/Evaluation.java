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
import org.steppolicy.infer.OfflineResult;
import org.steppolicy.infer.policy.ModelSource;
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
        StepConfig c = r.config();
        if (r.server() != null) return new EvalSummary(r.out(), ServerEvaluation.run(r, log), List.of(), r.compare());
        if (r.methods().isEmpty()) throw new UserError("no methods to evaluate");
        checkCompare(r.compare(), r.methods());
        if (r.compare() != null && !c.task().hasSimulator())
            throw new UserError("--compare: paired differences are of closed-loop scores; task " + c.task().name() + " is evaluated offline");
        LoadedPolicy policy = LoadedPolicy.load(c, r.dp(), r.predictors());
        ModelSource models = policy.models(r.runtime());
        InferenceSettings settings = InferenceSettings.from(c.inference());
        // Every mismatch (normaliser, horizon, action dim, missing predictor) fails here, before any rollout.
        for (MethodSpec m : r.methods()) policy.check(m, models, settings);
        Path dir = r.out();
        EvalReport.Source source = source(r);
        // What was asked is what config.yaml records, so that `step eval --resume DIR` alone asks it again.
        StepConfig written = recorded(r);
        List<MethodResult> done = r.resume() ? EvalResume.check(r, written, source) : List.of();
        // Refuses a folder holding another run; its lock is released when the command ends (StepCli.run).
        RunFolder folder = RunFolder.claim(dir, RunFolder.Kind.EVALUATION, r.force(), r.resume());
        if (!r.resume()) folder.writeText("config.yaml", written.toYaml());
        if (!c.task().hasSimulator()) {
            List<OfflineResult> offline = OfflineRun.run(c, policy.dp(), models, settings, r.methods(), r.seed(), log);
            OfflineReport.write(offline, dir);
            return new EvalSummary(dir, List.of(), offline, null);
        }
        ClosedLoopEvaluation eval = policy.closedLoop(c, models, r.threads());
        String title = c.task().name() + ": " + r.episodes() + " episodes from seed " + r.seed();
        List<MethodResult> results = new ArrayList<>();
        for (int i = 0; i < r.methods().size(); i++) {
            MethodSpec m = r.methods().get(i);
            MethodResult before = i < done.size() ? done.get(i) : null;
            if (before != null && before.complete()) {
                results.add(before);
                continue;
            }
            if (stop.getAsBoolean()) break;
            int skip = before == null ? 0 : before.episodes();
            MethodResult now = eval.run(m, r.seed(), skip, r.episodes(), r.videos(), r.videos() > 0 ? dir.resolve("videos") : null, line -> {
                log.println(line);
                log.flush();
            }, stop);
            MethodResult merged = before == null ? now : EvalResume.merge(before, now);
            if (merged.episodes() > 0) results.add(merged);
            if (merged.episodes() > 0 || !results.isEmpty()) EvalReport.write(results, r.compare(), dir, title, source);
            if (!merged.complete()) break;
        }
        if (results.size() < r.methods().size() || !results.get(results.size() - 1).complete())
            throw EvalInterrupted.of(r, results);
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
