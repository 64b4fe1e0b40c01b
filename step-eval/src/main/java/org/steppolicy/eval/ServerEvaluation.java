package org.steppolicy.eval;

import java.io.PrintWriter;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.serve.PolicyClient;
import org.steppolicy.serve.proto.InfoResponse;
import org.steppolicy.sim.Evaluator;
import org.steppolicy.sim.ImageObservation;
import org.steppolicy.sim.PushTObservation;

/**
 * {@code step eval --server HOST:PORT}: the server's side of a closed-loop Push-T evaluation, every policy call going
 * to a `step serve` server, one session per evaluation thread. The server must run the same inference settings (config)
 * as the evaluation would in-process; then the same seeds give the same scores. {@link Evaluation} runs the methods and
 * writes the folder as it does in-process.
 */
final class ServerEvaluation {
    private ServerEvaluation() {}

    /** What the server gives an evaluation: the methods to run, and a closed loop whose policies are sessions on it. */
    record Served(List<MethodSpec> methods, ClosedLoopEvaluation closedLoop) {}

    /**
     * Asks the server what it serves and checks the request against it; no {@code asked} methods: every method the
     * server serves, in its Info's order (its default first). {@code compare} (null: none) must be among the methods.
     */
    static Served connect(EvalRequest.ServerTarget server, StepConfig c, List<MethodSpec> asked, String compare, int threads,
                          PrintWriter log) {
        String target = server.target(), token = server.token();
        if (!c.task().hasSimulator()) throw new UserError("--server evaluates in the Push-T simulator; task " + c.task().name() + " has none");
        InfoResponse info;
        try (PolicyClient probe = PolicyClient.connect(target, token, null, PolicyClient.DEFAULT_DEADLINE)) {
            info = probe.info();
        } catch (io.grpc.StatusRuntimeException e) {
            throw new UserError("server " + target + ": " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
        }
        List<MethodSpec> specs = asked;
        if (specs.isEmpty()) {
            if (info.getMethodsCount() == 0) throw new UserError("server " + target + " announces no methods");
            specs = MethodList.parse(String.join(",", info.getMethodsList()));
            log.println("server " + target + " serves " + String.join(", ", info.getMethodsList()) + ": evaluating those");
        }
        Evaluation.checkCompare(compare, specs);
        for (MethodSpec m : specs)
            if (!info.getMethodsList().contains(m.label()))
                throw new UserError("server " + target + " does not serve " + m.label() + " (it serves " + info.getMethodsList()
                        + "; start it with --methods)");
        if (info.getMaxSessions() < threads)
            throw new UserError("server " + target + " allows " + info.getMaxSessions() + " sessions, the evaluation uses " + threads + " threads");
        log.println("server " + target + ": " + info.getProvenanceMap());
        Evaluator evaluator = new Evaluator((int) info.getObsSteps(), c.task().evalMaxSteps(), observation(info, target));
        return new Served(specs, new ClosedLoopEvaluation((spec, config) -> ServerPolicy.open(target, token, spec.label()),
                InferenceSettings.from(c.inference()), evaluator, threads));
    }

    /** What the served policy observes, from its Info: keypoints, or frames of the announced size. */
    static PushTObservation observation(InfoResponse info, String target) {
        if (info.hasImage()) return new ImageObservation((int) info.getImage().getHeight(), (int) info.getImage().getWidth());
        if (info.getObsDim() != 20)
            throw new UserError("server " + target + ": the Push-T simulator observes 20 keypoint values, the policy expects " + info.getObsDim());
        return PushTObservation.KEYPOINTS;
    }
}
