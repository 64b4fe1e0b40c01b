package org.steppolicy.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.run.RunFolder;
import org.steppolicy.serve.PolicyClient;
import org.steppolicy.serve.proto.InfoResponse;
import org.steppolicy.sim.Evaluator;
import org.steppolicy.sim.ImageObservation;
import org.steppolicy.sim.PushTObservation;

/**
 * {@code step eval --server HOST:PORT}: the closed-loop Push-T evaluation with every policy call going to a `step serve`
 * server, one session per evaluation thread. The server must run the same inference settings (config) as the
 * evaluation would in-process; then the same seeds give the same scores.
 */
public final class ServerEvaluation {
    private ServerEvaluation() {}

    /**
     * The request's methods through its server (its dp and predictors are not read: the server has the models); no
     * methods: every method the server serves, in its Info's order (its default first).
     */
    static List<MethodResult> run(EvalRequest r, PrintWriter log) {
        String target = r.server().target(), token = r.server().token();
        StepConfig c = r.config();
        List<MethodSpec> specs = r.methods();
        int episodes = r.episodes(), threads = r.threads(), videos = r.videos();
        long seed = r.seed();
        Path dir = r.out();
        if (!c.task().hasSimulator()) throw new UserError("--server evaluates in the Push-T simulator; task " + c.task().name() + " has none");
        InfoResponse info;
        try (PolicyClient probe = PolicyClient.connect(target, token, null, PolicyClient.DEFAULT_DEADLINE)) {
            info = probe.info();
        } catch (io.grpc.StatusRuntimeException e) {
            throw new UserError("server " + target + ": " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
        }
        if (specs.isEmpty()) {
            if (info.getMethodsCount() == 0) throw new UserError("server " + target + " announces no methods");
            specs = MethodList.parse(String.join(",", info.getMethodsList()));
            log.println("server " + target + " serves " + String.join(", ", info.getMethodsList()) + ": evaluating those");
        }
        Evaluation.checkCompare(r.compare(), specs);
        for (MethodSpec m : specs)
            if (!info.getMethodsList().contains(m.label()))
                throw new UserError("server " + target + " does not serve " + m.label() + " (it serves " + info.getMethodsList()
                        + "; start it with --methods)");
        if (info.getMaxSessions() < threads)
            throw new UserError("server " + target + " allows " + info.getMaxSessions() + " sessions, the evaluation uses " + threads + " threads");
        log.println("server " + target + ": " + info.getProvenanceMap());
        // As in-process: refuses a folder holding another run; the lock is released when the command ends.
        RunFolder.claim(dir, RunFolder.Kind.EVALUATION, r.force(), false).writeText("config.yaml", c.toYaml());
        Evaluator evaluator = new Evaluator((int) info.getObsSteps(), c.task().evalMaxSteps(), observation(info, target));
        ClosedLoopEvaluation eval = new ClosedLoopEvaluation((spec, config) -> ServerPolicy.open(target, token, spec.label()),
                InferenceSettings.from(c.inference()), evaluator, threads);
        List<MethodResult> results = new ArrayList<>();
        for (MethodSpec m : specs) {
            results.add(eval.run(m, seed, episodes, videos, videos > 0 ? dir.resolve("videos") : null, line -> {
                log.println(line);
                log.flush();
            }));
            EvalReport.write(results, r.compare(), dir, c.task().name() + " via " + target + ": " + episodes + " episodes from seed " + seed);
        }
        return results;
    }

    /** What the served policy observes, from its Info: keypoints, or frames of the announced size. */
    static PushTObservation observation(InfoResponse info, String target) {
        if (info.hasImage()) return new ImageObservation((int) info.getImage().getHeight(), (int) info.getImage().getWidth());
        if (info.getObsDim() != 20)
            throw new UserError("server " + target + ": the Push-T simulator observes 20 keypoint values, the policy expects " + info.getObsDim());
        return PushTObservation.KEYPOINTS;
    }
}
