package org.steppolicy.serve;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.serve.proto.ActRequest;
import org.steppolicy.serve.proto.ActResponse;
import org.steppolicy.serve.proto.Action;
import org.steppolicy.serve.proto.CloseRequest;
import org.steppolicy.serve.proto.CloseResponse;
import org.steppolicy.serve.proto.ImageLayout;
import org.steppolicy.serve.proto.InfoRequest;
import org.steppolicy.serve.proto.InfoResponse;
import org.steppolicy.serve.proto.Observation;
import org.steppolicy.serve.proto.OpenSessionRequest;
import org.steppolicy.serve.proto.OpenSessionResponse;
import org.steppolicy.serve.proto.PolicyServiceGrpc;
import org.steppolicy.serve.proto.ResetRequest;
import org.steppolicy.serve.proto.ResetResponse;
import org.steppolicy.models.ImageObsSpec;

/**
 * The RPCs of step_serve.proto over a {@link SessionRegistry}. Requests are checked in full before they touch a
 * session, so a bad request changes nothing; every failure becomes a status with a message naming the problem, and
 * an unexpected exception is INTERNAL for that call only.
 */
final class PolicyService extends PolicyServiceGrpc.PolicyServiceImplBase {
    private static final System.Logger LOG = System.getLogger("org.steppolicy.serve");
    /** Larger executed counts shift the previous chunk out entirely anyway (edge padding); capped to stay an int. */
    private static final int MAX_EXECUTED = 1_000_000;

    private final ServedPolicy policy;
    private final SessionRegistry sessions;
    private final PolicyShape shape;
    private final long defaultPeriodNanos;
    private final int maxMessageBytes;
    // At most this many chunks compute at once (the policy's model instances); the others wait here, counted as queued.
    private final Semaphore computeSlots;
    private final Executor calls;
    private final ConnectionLoad connections;

    PolicyService(ServedPolicy policy, SessionRegistry sessions, ConnectionLoad connections, long defaultPeriodNanos,
                  int maxMessageBytes, Executor calls) {
        this.calls = calls;
        this.connections = connections;
        this.policy = policy;
        this.sessions = sessions;
        this.shape = policy.info().shape();
        this.defaultPeriodNanos = defaultPeriodNanos;
        this.maxMessageBytes = maxMessageBytes;
        this.computeSlots = new Semaphore(Math.max(1, policy.concurrency()), true);
    }

    @Override
    public void openSession(OpenSessionRequest req, StreamObserver<OpenSessionResponse> out) {
        unary(out, () -> {
            long period = RequestLimits.controlPeriod(req.getControlPeriodNs(), defaultPeriodNanos);
            Session s = sessions.open(req.getMethod(), period, req.hasSeed() ? req.getSeed() : 0L, ConnectionLoad.current());
            return OpenSessionResponse.newBuilder().setSessionId(s.id).setMethod(s.policy.method())
                    .setControlPeriodNs(period).setIdleTimeoutNs(sessions.idleTimeoutNanos()).build();
        });
    }

    /**
     * Runs on the connection's transport thread (the server uses a direct executor). When the session and a compute
     * slot are free and the connection carries no other session, the chunk is computed right there: two fewer thread
     * hand-offs, which is most of the server's overhead on a loaded machine. Otherwise the call moves to the call pool
     * to wait, so a transport thread never blocks on a lock or a slot, nor holds up another session's call.
     */
    @Override
    public void act(ActRequest req, StreamObserver<ActResponse> out) {
        long arrived = ArrivalTime.of(System.nanoTime());
        Session s;
        double[][] obs;
        try {
            s = sessions.get(sessionId(req.getSessionId()));
            obs = observations(req);
            if (req.hasExecutedActions() && (req.getExecutedActions() < 1 || req.getExecutedActions() > MAX_EXECUTED))
                throw invalid("executed_actions is " + Integer.toUnsignedString(req.getExecutedActions())
                        + ": give the previous chunk's actions whose time has come, 1 to " + MAX_EXECUTED);
        } catch (RuntimeException e) {
            fail(out, e);
            return;
        }
        Object connection = ConnectionLoad.current();
        connections.bind(s, connection);
        if (connections.single(connection) && s.lock.tryLock()) {
            // Not ahead of calls already waiting for a slot (tryAcquire alone would barge past them).
            if (!computeSlots.hasQueuedThreads() && computeSlots.tryAcquire()) {
                unary(out, () -> compute(s, req, obs, arrived));
                return;
            }
            s.lock.unlock();
        }
        offload(out, () -> {
            s.lock.lock();
            computeSlots.acquireUninterruptibly();
            return compute(s, req, obs, arrived);
        });
    }

    /** One chunk; the caller holds the session's lock and a compute slot, both released here. */
    private ActResponse compute(Session s, ActRequest req, double[][] obs, long arrived) {
        boolean slot = true;
        try {
            if (s.closed) throw Status.NOT_FOUND.withDescription("session " + s.id + " was closed").asRuntimeException();
            int skip;
            try {
                skip = s.timeline.admit(obs.length, req.hasObservationTimeNs(), req.getObservationTimeNs(), req.getAllowHistoryGap());
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
            for (int i = skip; i < obs.length; i++) s.history.push(obs[i]);
            // The previous chunk's shift: told, else the periods since the previous call's observation, else Ta.
            long since = s.timeline.periodsSincePrevious();
            int executed = req.hasExecutedActions() ? req.getExecutedActions()
                    : since > 0 ? (int) Math.min(since, MAX_EXECUTED) : shape.actionSteps();
            long start = System.nanoTime();
            SessionPolicy.Chunk chunk = s.policy.predictChunk(s.history.window(), executed, req.getFullHorizon());
            long end = System.nanoTime();
            computeSlots.release();
            slot = false;
            s.touch(end);
            ComputeTime t = s.policy.lastLatency();
            ActResponse.Builder b = ActResponse.newBuilder().setChunkIndex(s.chunkIndex++)
                    .setComputeNs(end - start).setQueuedNs(Math.max(0, start - arrived))
                    .setPredictorNs(t.predictorNanos()).setDiffusionNs(t.diffusionNanos())
                    .setMethod(s.policy.method()).setPerturbationFired(t.perturbed()).setColdStart(t.coldStart());
            long t0 = req.getObservationTimeNs(), period = s.controlPeriodNanos;
            for (int k = 0; k < chunk.actions().length; k++) b.addActions(action(chunk.actions()[k], t0 + k * period));
            if (chunk.horizon() != null) {
                int first = shape.firstExecuted();
                for (int h = 0; h < chunk.horizon().length; h++) b.addHorizon(action(chunk.horizon()[h], t0 + (h - first) * period));
            }
            return b.build();
        } finally {
            if (slot) computeSlots.release();
            s.lock.unlock();
        }
    }

    @Override
    public void reset(ResetRequest req, StreamObserver<ResetResponse> out) {
        offload(out, () -> {
            Session s = sessions.get(sessionId(req.getSessionId()));
            s.lock.lock();
            try {
                if (s.closed) throw Status.NOT_FOUND.withDescription("session " + s.id + " was closed").asRuntimeException();
                s.reset(req.hasSeed() ? req.getSeed() : s.seed);
            } finally {
                s.lock.unlock();
            }
            return ResetResponse.getDefaultInstance();
        });
    }

    @Override
    public void close(CloseRequest req, StreamObserver<CloseResponse> out) {
        offload(out, () -> {
            sessions.close(sessionId(req.getSessionId()));
            return CloseResponse.getDefaultInstance();
        });
    }

    @Override
    public void info(InfoRequest req, StreamObserver<InfoResponse> out) {
        unary(out, () -> {
            PolicyInfo i = policy.info();
            InfoResponse.Builder b = InfoResponse.newBuilder().setObsDim(shape.obsDim()).setActionDim(shape.actionDim())
                    .setObsSteps(shape.obsSteps()).setActionSteps(shape.actionSteps()).setHorizon(shape.horizon())
                    .addAllMethods(i.methods()).setDefaultMethod(i.defaultMethod()).setControlPeriodNs(defaultPeriodNanos)
                    .setMaxSessions(sessions.maxSessions()).setIdleTimeoutNs(sessions.idleTimeoutNanos())
                    .putAllProvenance(i.provenance()).setMaxMessageBytes(maxMessageBytes);
            if (i.image() != null)
                b.setImage(ImageLayout.newBuilder().setLowDim(i.image().lowDim()).setChannels(ImageObsSpec.CHANNELS)
                        .setHeight(i.image().height()).setWidth(i.image().width()));
            return b.build();
        });
    }

    private static String sessionId(String id) {
        if (id.isEmpty()) throw invalid("session_id is empty: call OpenSession first and pass its session_id");
        return id;
    }

    /** The request's observations, each checked for size and finiteness before any reaches the session. */
    private double[][] observations(ActRequest req) {
        int n = req.getObservationsCount();
        if (n == 0) throw invalid("no observations: send at least the newest one (" + shape.obsDim() + " values)");
        double[][] obs = new double[n][];
        for (int i = 0; i < n; i++) {
            Observation o = req.getObservations(i);
            if (o.getValuesCount() != shape.obsDim())
                throw invalid("observations[" + i + "] has " + o.getValuesCount() + " values, the policy expects obs_dim = " + shape.obsDim());
            double[] v = new double[shape.obsDim()];
            for (int d = 0; d < v.length; d++) {
                v[d] = o.getValues(d);
                if (!Double.isFinite(v[d])) throw invalid("observations[" + i + "][" + d + "] is " + v[d] + ": observations must be finite");
            }
            obs[i] = v;
        }
        return obs;
    }

    private static Action action(double[] values, long timeNanos) {
        Action.Builder a = Action.newBuilder().setTimeNs(timeNanos);
        for (double v : values) a.addValues(v);
        return a.build();
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    /** Runs a call that may wait (for a session's lock or a compute slot) on the call pool, off the transport thread. */
    private <T> void offload(StreamObserver<T> out, Supplier<T> body) {
        try {
            calls.execute(() -> unary(out, body));
        } catch (RejectedExecutionException e) {
            out.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
        }
    }

    private static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
        T reply;
        try {
            reply = body.get();
        } catch (RuntimeException e) {
            fail(out, e);
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }

    /** Every failure as a status: ours as thrown, a bad argument as INVALID_ARGUMENT, anything else INTERNAL. */
    private static void fail(StreamObserver<?> out, RuntimeException e) {
        if (e instanceof StatusRuntimeException sre) {
            out.onError(sre);
        } else if (e instanceof IllegalArgumentException) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } else {
            LOG.log(System.Logger.Level.ERROR, "policy server call failed", e);
            out.onError(Status.INTERNAL.withDescription("internal error: " + e).withCause(e).asRuntimeException());
        }
    }
}
