package org.steppolicy.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.data.ObservationHistory;
import org.steppolicy.serve.proto.ActRequest;
import org.steppolicy.serve.proto.InfoResponse;
import org.steppolicy.serve.proto.Observation;
import org.steppolicy.serve.proto.OpenSessionRequest;

/** The server over a tiny random-weight policy, through the real gRPC stack on 127.0.0.1. */
class PolicyServerTest {
    private static StepServedPolicy policy;

    @BeforeAll
    static void load() { policy = TinyPolicy.served(2); }

    @AfterAll
    static void unload() { policy.close(); }

    static List<double[]> observations(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(TinyPolicy.observation(r));
        return out;
    }

    /**
     * What the policy object gives in-process for the same session, one observation a call, each one control period
     * after the previous call's (so the previous chunk is shifted by 1): the reference every server answer must equal.
     */
    static List<double[][]> inProcess(String method, long seed, List<double[]> obs) {
        SessionPolicy p = policy.openSession(method);
        p.reset(seed);
        ObservationHistory h = new ObservationHistory(2, 20);
        List<double[][]> out = new ArrayList<>();
        for (double[] o : obs) {
            h.push(o);
            out.add(p.predictChunk(h.window(), 1, false).actions());
        }
        return out;
    }

    static List<double[][]> alone(PolicyClient c, String method, long seed, List<double[]> obs) {
        try (PolicyClient.Session s = c.openSession(method, null, seed)) {
            List<double[][]> out = new ArrayList<>();
            // One observation a call, each one control period after the previous call's.
            for (int i = 0; i < obs.size(); i++) out.add(s.act(new double[][] {obs.get(i)}, i * s.controlPeriodNs(), false).actions());
            return out;
        }
    }

    static void assertSame(List<double[][]> want, List<double[][]> got, String what) {
        assertEquals(want.size(), got.size(), what);
        for (int i = 0; i < want.size(); i++)
            for (int k = 0; k < want.get(i).length; k++) assertArrayEquals(want.get(i)[k], got.get(i)[k], 0.0, what + " call " + i + " action " + k);
    }

    static Status.Code code(Executable call, String messagePart) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        String d = e.getStatus().getDescription();
        assertTrue(d != null && d.contains(messagePart), "'" + messagePart + "' not in: " + d);
        return e.getStatus().getCode();
    }

    @Test
    void contractRoundTrip() {
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
             PolicyClient c = PolicyClient.connect(server.target())) {
            InfoResponse info = c.info();
            assertEquals(20, info.getObsDim());
            assertEquals(2, info.getActionDim());
            assertEquals(2, info.getObsSteps());
            assertEquals(8, info.getActionSteps());
            assertEquals(16, info.getHorizon());
            assertEquals(List.of("step:2", "ddim:2", "temporal:2", "falcon:2"), info.getMethodsList());
            assertEquals("step:2", info.getDefaultMethod());
            assertEquals("onnx", info.getProvenanceMap().get("runtime"));
            assertFalse(info.hasImage());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, c.health());

            List<double[]> obs = observations(1, 4);
            List<double[][]> want = inProcess("step:2", 5, obs);
            try (PolicyClient.Session s = c.openSession(null, Duration.ofMillis(50), 5L)) {
                assertEquals("step:2", s.method());
                assertEquals(50_000_000L, s.controlPeriodNs());
                List<double[][]> got = new ArrayList<>();
                for (int i = 0; i < obs.size(); i++) {
                    long t0 = 50_000_000L * (i + 1);
                    PolicyClient.ActResult r = s.act(new double[][] {obs.get(i)}, t0, i == 1);
                    got.add(r.actions());
                    assertEquals(i, r.chunkIndex());
                    assertEquals("step:2", r.method());
                    assertEquals(i == 0, r.coldStart(), "a warm-started method's first chunk is a cold start");
                    assertTrue(r.computeNs() > 0 && r.queuedNs() >= 0 && r.diffusionNs() > 0);
                    assertEquals(i > 0, r.predictorNs() > 0);
                    assertEquals(8, r.actions().length);
                    for (int k = 0; k < 8; k++) assertEquals(t0 + k * 50_000_000L, r.actionTimesNs()[k]);
                    if (i == 1) {
                        assertEquals(16, r.horizon().length);
                        assertArrayEquals(r.actions()[0], r.horizon()[1], 0.0, "horizon index To-1 is the first executed action");
                    } else {
                        assertNull(r.horizon());
                    }
                }
                assertSame(want, got, "server vs in-process");

                s.reset(5);
                PolicyClient.ActResult again = s.act(new double[][] {obs.get(0)}, 0, false);
                assertEquals(0, again.chunkIndex());
                assertSame(want.subList(0, 1), List.<double[][]>of(again.actions()), "after reset with the same seed");
            }
            assertEquals(0, server.openSessions());
        }
    }

    /** The in-process chunks for a sequence of pushes: each call's observations are pushed, then one chunk. */
    static List<double[][]> inProcessCalls(String method, long seed, List<List<double[]>> calls) {
        SessionPolicy p = policy.openSession(method);
        p.reset(seed);
        ObservationHistory h = new ObservationHistory(2, 20);
        List<double[][]> out = new ArrayList<>();
        for (List<double[]> call : calls) {
            for (double[] o : call) h.push(o);
            out.add(p.predictChunk(h.window(), false).actions());
        }
        return out;
    }

    @Test
    void observationsThatLeaveAHistoryGapAreRefusedUnlessAllowed() {
        List<double[]> o = observations(31, 10);
        long period = 100_000_000L;
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
             PolicyClient c = PolicyClient.connect(server.target())) {
            // What the old contract comment invited: the newest observation alone, Ta = 8 periods after the last call.
            try (PolicyClient.Session s = c.openSession("step:2", Duration.ofNanos(period), 7L)) {
                s.act(new double[][] {o.get(0)}, 0, false);
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> s.act(new double[][] {o.get(8)}, 8 * period, false));
                assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
                String d = e.getStatus().getDescription();
                assertTrue(d.contains("8 control periods") && d.contains("expected the 2 observations") && d.contains("got 1"), d);
                // Refused without a trace: the session goes on as if the bad call never came.
                PolicyClient.ActResult r = s.act(new double[][] {o.get(7), o.get(8)}, 8 * period, false);
                assertEquals(1, r.chunkIndex());
                assertSame(inProcessCalls("step:2", 7, List.of(List.of(o.get(0)), List.of(o.get(7), o.get(8)))).subList(1, 2),
                        List.<double[][]>of(r.actions()), "the two newest after the refusal");
                // Not after the previous call's time, or no time with fewer than To observations: refused too.
                assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> s.act(new double[][] {o.get(9)}, 8 * period, false), "must increase"));
                assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> act(c, s.id(), o.get(9)), "without observation_time_ns"));
                // One observation one period later is the whole gap: accepted.
                assertEquals(2, s.act(new double[][] {o.get(9)}, 9 * period, false).chunkIndex());
            }
            // All eight observations since the last call, or the two newest, or the two newest with jitter: one answer.
            List<double[][]> two = inProcessCalls("step:2", 7, List.of(List.of(o.get(0)), List.of(o.get(7), o.get(8))));
            for (int variant = 0; variant < 3; variant++) {
                try (PolicyClient.Session s = c.openSession("step:2", Duration.ofNanos(period), 7L)) {
                    s.act(new double[][] {o.get(0)}, 1_000, false);
                    double[][] sent = variant == 0 ? o.subList(1, 9).toArray(new double[0][]) : new double[][] {o.get(7), o.get(8)};
                    long t = 1_000 + 8 * period + (variant == 2 ? period / 3 : 0);
                    assertSame(two.subList(1, 2), List.<double[][]>of(s.act(sent, t, false).actions()), "variant " + variant);
                }
            }
            // Said explicitly: the stale history is accepted and used as it is.
            try (PolicyClient.Session s = c.openSession("step:2", Duration.ofNanos(period), 7L)) {
                s.act(new double[][] {o.get(0)}, 0, false);
                double[][] stale = s.act(new double[][] {o.get(8)}, 8 * period, false, true).actions();
                assertSame(inProcessCalls("step:2", 7, List.of(List.of(o.get(0)), List.of(o.get(8)))).subList(1, 2),
                        List.<double[][]>of(stale), "allow_history_gap");
            }
        }
    }

    @Test
    void theWarmStartShiftsByThePeriodsBetweenCallsOrTheToldExecutedCount() {
        List<double[]> o = observations(41, 21);
        long period = 100_000_000L;
        // In-process with the executed count given: every 5 periods, and every 5 periods but told 8.
        for (String method : List.of("step:2", "temporal:2")) {
            for (int told : new int[] {0, 8}) {
                int k = told == 0 ? 5 : told;
                SessionPolicy p = policy.openSession(method);
                p.reset(3);
                ObservationHistory h = new ObservationHistory(2, 20);
                List<double[][]> want = new ArrayList<>(), ta = new ArrayList<>();
                SessionPolicy q = policy.openSession(method);
                q.reset(3);
                for (int c = 0; c * 5 < o.size(); c++) {
                    if (c > 0) h.push(o.get(c * 5 - 1));
                    h.push(o.get(c * 5));
                    want.add(p.predictChunk(h.window(), k, false).actions());
                    ta.add(q.predictChunk(h.window(), false).actions());
                }
                List<double[][]> got = new ArrayList<>();
                try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
                     PolicyClient c = PolicyClient.connect(server.target());
                     PolicyClient.Session s = c.openSession(method, Duration.ofNanos(period), 3L)) {
                    for (int i = 0; i * 5 < o.size(); i++) {
                        // The observations since the previous call (5 of them; the first call: one), with a little jitter.
                        double[][] sent = i == 0 ? new double[][] {o.get(0)} : o.subList(i * 5 - 4, i * 5 + 1).toArray(new double[0][]);
                        got.add(s.act(sent, 1_000 + i * 5 * period + (i % 2) * period / 4, false, false, i == 0 ? 0 : told).actions());
                    }
                }
                assertSame(want, got, method + (told == 0 ? ": calls every 5 periods shift by 5" : ": told 8"));
                // ... and that is not what shifting by Ta gives (the test can tell them apart).
                if (told == 0) {
                    boolean differs = false;
                    for (int i = 1; i < ta.size(); i++) differs |= !java.util.Arrays.deepEquals(ta.get(i), got.get(i));
                    assertTrue(differs, method + ": shift 5 and shift Ta must differ");
                }
            }
        }
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
             PolicyClient c = PolicyClient.connect(server.target());
             PolicyClient.Session s = c.openSession("step:2", Duration.ofNanos(period), 3L)) {
            s.act(new double[][] {o.get(0)}, 0, false);
            ActRequest.Builder bad = ActRequest.newBuilder().setSessionId(s.id()).setObservationTimeNs(5 * period).setExecutedActions(0);
            for (double[] x : o.subList(4, 6)) {
                Observation.Builder b = Observation.newBuilder();
                for (double v : x) b.addValues(v);
                bad.addObservations(b);
            }
            assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> c.stub().act(bad.build()), "executed_actions is 0"));
            assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> c.stub().act(bad.setExecutedActions(-1).build()), "executed_actions is 4294967295"));
        }
    }

    @Test
    void sessionsAreIsolated() throws Exception {
        List<double[]> a = observations(11, 6), b = observations(12, 6);
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
             PolicyClient c = PolicyClient.connect(server.target())) {
            List<double[][]> aliceAlone = alone(c, "step:2", 1, a), bobAlone = alone(c, "step:2", 2, b);
            List<double[][]> carolAlone = alone(c, "temporal:2", 3, a);
            // Interleaved on one thread: every call alternates sessions.
            List<double[][]> alice = new ArrayList<>(), bob = new ArrayList<>();
            try (PolicyClient.Session s1 = c.openSession("step:2", null, 1L); PolicyClient.Session s2 = c.openSession("step:2", null, 2L)) {
                for (int i = 0; i < a.size(); i++) {
                    alice.add(s1.act(new double[][] {a.get(i)}, i * s1.controlPeriodNs(), false).actions());
                    bob.add(s2.act(new double[][] {b.get(i)}, i * s2.controlPeriodNs(), false).actions());
                }
            }
            assertSame(aliceAlone, alice, "interleaved session 1");
            assertSame(bobAlone, bob, "interleaved session 2");
            // Concurrently, three sessions (two methods) sharing the model instances.
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<List<double[][]>> f1 = pool.submit(() -> alone(c, "step:2", 1, a));
                Future<List<double[][]>> f2 = pool.submit(() -> alone(c, "step:2", 2, b));
                Future<List<double[][]>> f3 = pool.submit(() -> alone(c, "temporal:2", 3, a));
                assertSame(aliceAlone, f1.get(), "concurrent session 1");
                assertSame(bobAlone, f2.get(), "concurrent session 2");
                assertSame(carolAlone, f3.get(), "concurrent session 3");
                // One connection per robot: each computes on its own transport thread.
                try (PolicyClient c1 = PolicyClient.connect(server.target()); PolicyClient c2 = PolicyClient.connect(server.target())) {
                    Future<List<double[][]>> g1 = pool.submit(() -> alone(c1, "step:2", 1, a));
                    Future<List<double[][]>> g2 = pool.submit(() -> alone(c2, "step:2", 2, b));
                    assertSame(aliceAlone, g1.get(), "own connection, session 1");
                    assertSame(bobAlone, g2.get(), "own connection, session 2");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aFalconSessionKeepsItsLatentBufferAndMatchesTheInProcessPolicy() {
        List<double[]> obs = observations(21, 8);
        List<double[][]> want = inProcess("falcon:2", 4, obs);
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
             PolicyClient c = PolicyClient.connect(server.target())) {
            try (PolicyClient.Session s = c.openSession("falcon:2", null, 4L)) {
                List<double[][]> got = new ArrayList<>();
                for (int i = 0; i < obs.size(); i++) {
                    PolicyClient.ActResult r = s.act(new double[][] {obs.get(i)}, i * s.controlPeriodNs(), false);
                    assertEquals("falcon:2", r.method());
                    assertEquals(i == 0, r.coldStart(), "falcon's first chunk after a reset starts from noise");
                    got.add(r.actions());
                }
                assertSame(want, got, "falcon:2 server vs in-process");
            }
        }
    }

    @Test
    void aFullServerRefusesNewSessions() {
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0).withMaxSessions(2));
             PolicyClient c = PolicyClient.connect(server.target())) {
            PolicyClient.Session s1 = c.openSession(null, null, null);
            PolicyClient.Session s2 = c.openSession(null, null, null);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> c.openSession(null, null, null), "2 of 2 sessions"));
            // Both live sessions still work: nothing was evicted.
            s1.act(new double[][] {observations(1, 1).get(0)}, 0, false);
            s2.act(new double[][] {observations(2, 1).get(0)}, 0, false);
            s1.close();
            c.openSession(null, null, null).close();
            s2.close();
        }
    }

    @Test
    void idleSessionsExpire() throws Exception {
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0).withIdleTimeout(Duration.ofMillis(300)));
             PolicyClient c = PolicyClient.connect(server.target())) {
            PolicyClient.Session s = c.openSession(null, null, null);
            double[][] o = {observations(1, 1).get(0)};
            s.act(o, 0, false);
            Thread.sleep(900);
            assertEquals(Status.Code.NOT_FOUND, code(() -> s.act(o, 0, false), "expired"));
            assertEquals(0, server.openSessions(), "the sweeper closed it");
            c.openSession(null, null, null).act(o, 0, false);
        }
    }

    @Test
    void aTokenIsRequiredWhenConfigured() {
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0).withToken("s3cret"));
             PolicyClient none = PolicyClient.connect(server.target());
             PolicyClient wrong = PolicyClient.connect(server.target(), "guess", null, Duration.ofSeconds(30));
             PolicyClient right = PolicyClient.connect(server.target(), "s3cret", null, Duration.ofSeconds(30))) {
            assertEquals(Status.Code.UNAUTHENTICATED, code(none::info, "needs a token"));
            assertEquals(Status.Code.UNAUTHENTICATED, code(() -> none.openSession(null, null, null), "needs a token"));
            assertEquals(Status.Code.UNAUTHENTICATED, code(wrong::info, "wrong token"));
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, wrong.health());   // open: it reveals nothing
            assertEquals(20, right.info().getObsDim());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, right.health());
            try (PolicyClient.Session s = right.openSession(null, null, null)) {
                assertEquals(8, s.act(new double[][] {observations(3, 1).get(0)}, 0, false).actions().length);
            }
        }
    }

    @Test
    void tlsWithGrpcsStandardCredentials(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        Process p;
        try {
            // A self-signed certificate for 127.0.0.1 (EC: quick to generate).
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed");
            return;
        }
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor() == 0, "openssl could not make a certificate");
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0).withTls(cert, key));
             PolicyClient tls = PolicyClient.connect(server.target(), null, cert, Duration.ofSeconds(30));
             PolicyClient plain = PolicyClient.connect(server.target(), null, null, Duration.ofSeconds(5))) {
            try (PolicyClient.Session s = tls.openSession(null, null, null)) {
                assertEquals(8, s.act(new double[][] {observations(4, 1).get(0)}, 0, false).actions().length);
            }
            assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class, plain::info).getStatus().getCode());
        }
    }

    @Test
    void badInputNeverHurtsTheServerOrAnotherSession() {
        List<double[]> obs = observations(21, 5);
        List<double[][]> want = inProcess("step:2", 9, obs);
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
             PolicyClient c = PolicyClient.connect(server.target())) {
            PolicyClient.Session victim = c.openSession("step:2", null, 9L);
            List<double[][]> got = new ArrayList<>();
            got.add(victim.act(new double[][] {obs.get(0)}, 0, false).actions());
            String id = victim.id();
            double[] nan = obs.get(1).clone(), inf = obs.get(1).clone();
            nan[3] = Double.NaN;
            inf[7] = Double.NEGATIVE_INFINITY;
            List<Executable> bad = List.of(
                    () -> act(c, id, new double[19]),
                    () -> act(c, id, nan),
                    () -> act(c, id, obs.get(1), inf),
                    () -> c.stub().act(ActRequest.newBuilder().setSessionId(id).build()),
                    () -> act(c, "", obs.get(1)),
                    () -> act(c, "0123abcd", obs.get(1)),
                    () -> act(c, id, new double[server.maxMessageBytes() / 8 + 10]),
                    () -> c.openSession("ddpm:100", null, null),
                    () -> c.openSession("warp:9", null, null),
                    () -> c.stub().openSession(OpenSessionRequest.newBuilder().setControlPeriodNs(-5).build()));
            List<Status.Code> codes = new ArrayList<>();
            String[] names = {"obs_dim = 20", "NaN", "-Infinity", "no observations", "session_id is empty", "is unknown",
                    "exceeds maximum", "not served", "unknown method", "control_period_ns"};
            for (int i = 0; i < bad.size(); i++) {
                codes.add(code(bad.get(i), names[i]));
                // ... and the server still answers a good call right after.
                assertEquals(20, c.info().getObsDim());
            }
            assertEquals(List.of(Status.Code.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT,
                    Status.Code.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
                    // grpc's own answer to a message over maxInboundMessageSize
                    Status.Code.RESOURCE_EXHAUSTED,
                    Status.Code.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT), codes);
            // The victim's state is untouched: its next chunks are exactly those of an undisturbed session.
            for (int i = 1; i < obs.size(); i++) got.add(victim.act(new double[][] {obs.get(i)}, i * victim.controlPeriodNs(), false).actions());
            assertSame(want, got, "session after bad calls");
            victim.close();
            assertEquals(Status.Code.NOT_FOUND, code(() -> act(c, id, obs.get(0)), "was closed"));
            assertEquals(Status.Code.NOT_FOUND, code(victim::reset, "was closed"));
        }
    }

    private static void act(PolicyClient c, String id, double[]... obs) {
        ActRequest.Builder r = ActRequest.newBuilder().setSessionId(id);
        for (double[] o : obs) {
            Observation.Builder b = Observation.newBuilder();
            for (double v : o) b.addValues(v);
            r.addObservations(b);
        }
        c.stub().act(r.build());
    }

    @Test
    void shutdownDrainsInFlightCallsAndQueuedTimeIsReported() throws Exception {
        SlowPolicy slow = new SlowPolicy(300);
        PolicyServer server = PolicyServer.start(slow, ServeConfig.loopback(0));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (PolicyClient c = PolicyClient.connect(server.target())) {
            PolicyClient.Session s1 = c.openSession(null, null, null), s2 = c.openSession(null, null, null);
            double[][] o = {new double[20]};
            Future<PolicyClient.ActResult> f1 = pool.submit(() -> s1.act(o, 0, false));
            Future<PolicyClient.ActResult> f2 = pool.submit(() -> s2.act(o, 0, false));
            Thread.sleep(100);
            server.shutdown(); // both calls are in the server: one computing, one queued for the single compute slot
            PolicyClient.ActResult r1 = f1.get(), r2 = f2.get();
            assertEquals(8, r1.actions().length);
            assertEquals(8, r2.actions().length);
            long queued = Math.max(r1.queuedNs(), r2.queuedNs());
            assertTrue(queued >= 200_000_000L, "one call waited for the other's compute: " + queued + " ns");
            assertTrue(Math.min(r1.computeNs(), r2.computeNs()) >= 290_000_000L);
            assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class, c::info).getStatus().getCode());
        } finally {
            pool.shutdownNow();
            server.close();
        }
    }

    /** One compute slot, 300 ms a chunk: makes in-flight calls and queueing observable. */
    static final class SlowPolicy implements ServedPolicy {
        final long millis;

        SlowPolicy(long millis) { this.millis = millis; }

        public PolicyInfo info() {
            return new PolicyInfo(org.steppolicy.infer.PolicyShape.pushT(), List.of("slow"), "slow", java.util.Map.of(), null);
        }

        public int concurrency() { return 1; }

        public void close() {}

        public SessionPolicy openSession(String method) {
            return new SessionPolicy() {
                public String method() { return "slow"; }
                public void reset(long seed) {}
                public Chunk predictChunk(double[][] window, boolean full) {
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return new Chunk(new double[8][2], null);
                }
                public ComputeTime lastLatency() { return new ComputeTime(millis * 1_000_000, 0, millis * 1_000_000, false, false); }
            };
        }
    }
}
