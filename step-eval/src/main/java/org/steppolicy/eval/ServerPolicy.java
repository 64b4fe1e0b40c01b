package org.steppolicy.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.serve.PolicyClient;

/**
 * One evaluation thread's policy on a `step serve` server: its own connection and session. reset(seed) reseeds the
 * session's noise exactly as the in-process runner's reset does, and every call sends the whole To window the
 * evaluator passes, stamped with the simulated time of its newest observation (the evaluator calls every Ta control
 * periods), so the same seeds give the same episodes as an in-process evaluation. A call's latency is the round
 * trip; its predictor and diffusion parts are the server's.
 */
public final class ServerPolicy implements ClosedLoopEvaluation.EvalPolicy {
    private final PolicyClient client;
    private final PolicyClient.Session session;
    private final List<CallLatency> latencies = Collections.synchronizedList(new ArrayList<>());
    private final long periodsPerCall;
    private long calls;

    /** Connects to {@code target} (host:port) and opens a session of {@code method}. */
    public static ServerPolicy open(String target, String token, String method) {
        PolicyClient c = PolicyClient.connect(target, token, null, PolicyClient.DEFAULT_DEADLINE);
        try {
            return new ServerPolicy(c, c.openSession(method, null, null), c.info().getActionSteps());
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private ServerPolicy(PolicyClient client, PolicyClient.Session session, int actionSteps) {
        this.client = client;
        this.session = session;
        this.periodsPerCall = actionSteps;
    }

    @Override
    public void reset(long seed) {
        session.reset(seed);
        calls = 0;
    }

    @Override
    public double[][] act(double[][] obsHistory) {
        long t0 = System.nanoTime();
        PolicyClient.ActResult r = session.act(obsHistory, calls++ * periodsPerCall * session.controlPeriodNs(), false);
        latencies.add(new CallLatency(r.predictorNs(), r.diffusionNs(), System.nanoTime() - t0, r.coldStart(), r.perturbationFired()));
        return r.actions();
    }

    @Override
    public List<CallLatency> latencies() { return latencies; }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            client.close();
        }
    }
}
