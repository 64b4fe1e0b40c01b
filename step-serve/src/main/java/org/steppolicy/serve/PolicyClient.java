package org.steppolicy.serve;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.steppolicy.serve.proto.ActRequest;
import org.steppolicy.serve.proto.ActResponse;
import org.steppolicy.serve.proto.Action;
import org.steppolicy.serve.proto.CloseRequest;
import org.steppolicy.serve.proto.InfoRequest;
import org.steppolicy.serve.proto.InfoResponse;
import org.steppolicy.serve.proto.Observation;
import org.steppolicy.serve.proto.OpenSessionRequest;
import org.steppolicy.serve.proto.OpenSessionResponse;
import org.steppolicy.serve.proto.PolicyServiceGrpc;
import org.steppolicy.serve.proto.ResetRequest;

/**
 * A Java client of the policy server. Failures surface as grpc's StatusRuntimeException (its status says what:
 * NOT_FOUND for an expired session, RESOURCE_EXHAUSTED for a full server, ...).
 *
 * <pre>{@code
 * try (PolicyClient c = PolicyClient.connect("127.0.0.1:50051");
 *      PolicyClient.Session s = c.openSession("step:2", Duration.ofMillis(100), 0L)) {
 *     // every Ta control periods: the observations taken since the previous call (at least the To newest)
 *     PolicyClient.ActResult r = s.act(observationsSinceLastCall, timeOfNewestNs, false);
 *     for (double[] a : r.actions()) robot.send(a);
 * }
 * }</pre>
 */
public final class PolicyClient implements AutoCloseable {
    /** Generous: a cold start of a large policy runs a full diffusion chain. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    private final ManagedChannel channel;
    private final PolicyServiceGrpc.PolicyServiceBlockingStub stub;
    private final Duration deadline;

    /**
     * @param target    host:port
     * @param token     sent as {@code authorization: Bearer <token>} on every call; null for none
     * @param trustCert PEM certificate(s) to trust for TLS; null for plaintext
     */
    public static PolicyClient connect(String target, String token, Path trustCert, Duration deadline) {
        ChannelCredentials creds;
        try {
            creds = trustCert == null ? InsecureChannelCredentials.create()
                    : TlsChannelCredentials.newBuilder().trustManager(trustCert.toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the certificate " + trustCert + ": " + e.getMessage(), e);
        }
        HostPort hp = HostPort.parse(target);
        // Straight to the server: never through a proxy from the environment or system properties.
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(hp.host(), hp.port(), creds).proxyDetector(address -> null);
        if (token != null) b.intercept(bearer(token));
        return new PolicyClient(b.build(), deadline);
    }

    public static PolicyClient connect(String target) {
        return connect(target, null, null, DEFAULT_DEADLINE);
    }

    private PolicyClient(ManagedChannel channel, Duration deadline) {
        this.channel = channel;
        this.stub = PolicyServiceGrpc.newBlockingStub(channel);
        this.deadline = deadline;
    }

    private PolicyServiceGrpc.PolicyServiceBlockingStub call() {
        return stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    public InfoResponse info() { return call().info(InfoRequest.getDefaultInstance()); }

    /** The standard health check of the policy service: SERVING, or NOT_SERVING while the server drains. */
    public HealthCheckResponse.ServingStatus health() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .check(HealthCheckRequest.newBuilder().setService(PolicyServiceGrpc.SERVICE_NAME).build()).getStatus();
    }

    /**
     * @param method        a method the server allows, or null for its default
     * @param controlPeriod time between executed actions, or null for the server's default
     * @param seed          the session's noise seed (Reset without a seed returns to it), or null for 0
     */
    public Session openSession(String method, Duration controlPeriod, Long seed) {
        OpenSessionRequest.Builder r = OpenSessionRequest.newBuilder();
        if (method != null) r.setMethod(method);
        if (controlPeriod != null) r.setControlPeriodNs(controlPeriod.toNanos());
        if (seed != null) r.setSeed(seed);
        return new Session(call().openSession(r.build()));
    }

    /** The raw stub, for calls this class does not wrap. */
    public PolicyServiceGrpc.PolicyServiceBlockingStub stub() { return call(); }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) channel.shutdownNow();
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One Act's reply: the Ta actions with the time each is meant for; the whole horizon when asked (else null);
     * the server's compute and queueing times, nanoseconds.
     */
    public record ActResult(double[][] actions, long[] actionTimesNs, double[][] horizon, long chunkIndex, long computeNs,
                            long queuedNs, long predictorNs, long diffusionNs, String method, boolean perturbationFired,
                            boolean coldStart) {
        static ActResult of(ActResponse r) {
            double[][] a = new double[r.getActionsCount()][];
            long[] t = new long[a.length];
            for (int k = 0; k < a.length; k++) {
                Action x = r.getActions(k);
                a[k] = values(x);
                t[k] = x.getTimeNs();
            }
            double[][] h = null;
            if (r.getHorizonCount() > 0) {
                h = new double[r.getHorizonCount()][];
                for (int k = 0; k < h.length; k++) h[k] = values(r.getHorizon(k));
            }
            return new ActResult(a, t, h, r.getChunkIndex(), r.getComputeNs(), r.getQueuedNs(), r.getPredictorNs(),
                    r.getDiffusionNs(), r.getMethod(), r.getPerturbationFired(), r.getColdStart());
        }

        private static double[] values(Action x) {
            double[] v = new double[x.getValuesCount()];
            for (int i = 0; i < v.length; i++) v[i] = x.getValues(i);
            return v;
        }
    }

    /** One robot's session. Not for concurrent use (the server would serialize the calls anyway). */
    public final class Session implements AutoCloseable {
        private final String id;
        private final String method;
        private final long controlPeriodNs;
        private boolean closed;

        private Session(OpenSessionResponse r) {
            this.id = r.getSessionId();
            this.method = r.getMethod();
            this.controlPeriodNs = r.getControlPeriodNs();
        }

        public String id() { return id; }

        public String method() { return method; }

        public long controlPeriodNs() { return controlPeriodNs; }

        /**
         * Sends the observations taken since the previous call (oldest first, one per control period, the newest
         * taken at {@code observationTimeNs}) and returns the chunk. A robot that calls every Ta periods sends those Ta
         * observations, or at least the To newest: the server refuses (INVALID_ARGUMENT) a request that would leave a
         * gap in its To-step history, such as the newest observation alone after Ta periods. After open or reset one
         * observation is enough.
         */
        public ActResult act(double[][] observations, long observationTimeNs, boolean fullHorizon) {
            return act(observations, observationTimeNs, fullHorizon, false);
        }

        /**
         * As {@link #act(double[][], long, boolean)}; {@code allowHistoryGap} makes the server accept fewer
         * observations than the history needs and keep its stale older steps (for clients that know what they do).
         */
        public ActResult act(double[][] observations, long observationTimeNs, boolean fullHorizon, boolean allowHistoryGap) {
            return act(observations, observationTimeNs, fullHorizon, allowHistoryGap, 0);
        }

        /**
         * As {@link #act(double[][], long, boolean, boolean)}, telling the server how many actions of the previous
         * chunk had come due when the newest observation was taken ({@code executed_actions}: STEP shifts the
         * previous chunk by it); 0 leaves it to the server (derived from the observation times, else Ta). A client
         * that executes all Ta actions after each reply, however long the call took, passes Ta; {@link ActionStream}
         * passes what it executed.
         */
        public ActResult act(double[][] observations, long observationTimeNs, boolean fullHorizon, boolean allowHistoryGap,
                             int executedActions) {
            ActRequest.Builder r = ActRequest.newBuilder().setSessionId(id).setObservationTimeNs(observationTimeNs)
                    .setFullHorizon(fullHorizon).setAllowHistoryGap(allowHistoryGap);
            if (executedActions > 0) r.setExecutedActions(executedActions);
            for (double[] o : observations) {
                Observation.Builder ob = Observation.newBuilder();
                for (double v : o) ob.addValues(v);
                r.addObservations(ob);
            }
            return ActResult.of(call().act(r.build()));
        }

        /** A new episode with this noise seed. */
        public void reset(long seed) {
            call().reset(ResetRequest.newBuilder().setSessionId(id).setSeed(seed).build());
        }

        /** A new episode with the session's own seed. */
        public void reset() {
            call().reset(ResetRequest.newBuilder().setSessionId(id).build());
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            call().close(CloseRequest.newBuilder().setSessionId(id).build());
        }
    }

    private static ClientInterceptor bearer(String token) {
        String value = "Bearer " + token;
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> m, CallOptions o, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(m, o)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(TokenAuth.AUTHORIZATION, value);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    /** "host:port" or "[v6]:port". */
    record HostPort(String host, int port) {
        static HostPort parse(String target) {
            int colon = target.lastIndexOf(':');
            if (colon <= 0 || colon == target.length() - 1)
                throw new IllegalArgumentException("server address '" + target + "' is not HOST:PORT");
            String host = target.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            try {
                return new HostPort(host, Integer.parseInt(target.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("server address '" + target + "': the port is not a number");
            }
        }
    }
}
