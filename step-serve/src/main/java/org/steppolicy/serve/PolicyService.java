package org.steppolicy.serve;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
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

    private final ServedPolicy policy;
    private final SessionRegistry sessions;
    private final PolicyShape shape;
    private final long defaultPeriodNanos;
    private final int maxMessageBytes;
    // At most this many chunks compute at once (the policy's model instances); the others wait here, counted as queued.
    private final Semaphore computeSlots;

    PolicyService(ServedPolicy policy, SessionRegistry sessions, long defaultPeriodNanos, int maxMessageBytes) {
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
            if (req.getControlPeriodNs() < 0)
                throw invalid("control_period_ns is " + req.getControlPeriodNs() + "; give a positive period, or 0 for the default");
            long period = req.getControlPeriodNs() > 0 ? req.getControlPeriodNs() : defaultPeriodNanos;
            Session s = sessions.open(req.getMethod(), period, req.hasSeed() ? req.getSeed() : 0L);
            return OpenSessionResponse.newBuilder().setSessionId(s.id).setMethod(s.policy.method())
                    .setControlPeriodNs(period).setIdleTimeoutNs(sessions.idleTimeoutNanos()).build();
        });
    }

    @Override
    public void act(ActRequest req, StreamObserver<ActResponse> out) {
        unary(out, () -> {
            long arrived = ArrivalTime.of(System.nanoTime());
            Session s = sessions.get(sessionId(req.getSessionId()));
            double[][] obs = observations(req);
            s.lock.lock();
            boolean slot = false;
            try {
                if (s.closed) throw Status.NOT_FOUND.withDescription("session " + s.id + " was closed").asRuntimeException();
                for (double[] o : obs) s.history.push(o);
                computeSlots.acquireUninterruptibly();
                slot = true;
                long start = System.nanoTime();
                SessionPolicy.Chunk chunk = s.policy.predictChunk(s.history.window(), req.getFullHorizon());
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
        });
    }

    @Override
    public void reset(ResetRequest req, StreamObserver<ResetResponse> out) {
        unary(out, () -> {
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
        unary(out, () -> {
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

    private static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
        T reply;
        try {
            reply = body.get();
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "policy server call failed", e);
            out.onError(Status.INTERNAL.withDescription("internal error: " + e).withCause(e).asRuntimeException());
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }
}
