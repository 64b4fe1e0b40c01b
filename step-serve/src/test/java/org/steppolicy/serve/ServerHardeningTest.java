package org.steppolicy.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.steppolicy.serve.proto.ActRequest;
import org.steppolicy.serve.proto.InfoRequest;
import org.steppolicy.serve.proto.Observation;
import org.steppolicy.serve.proto.OpenSessionRequest;
import org.steppolicy.serve.proto.PolicyServiceGrpc;

/**
 * What a hostile or careless client sends at the edges (issue 21 item 9): an 8 kB method string, a control period
 * of 2^63-1, an oversized message, a lowercase scheme, a health probe without the token.
 */
class ServerHardeningTest {
    private static StepServedPolicy policy;

    @BeforeAll
    static void load() { policy = TinyPolicy.served(2); }

    @AfterAll
    static void unload() { policy.close(); }

    private static StatusRuntimeException refused(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run);
    }

    @Test
    void aLongMethodStringIsInvalidArgumentWithABoundedEcho() {
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
             PolicyClient c = PolicyClient.connect(server.target())) {
            String method = "m".repeat(10_000);
            StatusRuntimeException e = refused(() -> c.openSession(method, null, null));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), String.valueOf(e.getStatus()));
            String d = e.getStatus().getDescription();
            assertTrue(d.length() < 1100 && d.contains("mmmm") && d.contains("more characters"), d.length() + ": " + d);
            assertEquals(20, c.info().getObsDim());   // and the server still serves
        }
    }

    @Test
    void aControlPeriodThatWouldOverflowTheActionTimesIsRefused() {
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
             PolicyClient c = PolicyClient.connect(server.target())) {
            for (long period : new long[] {Long.MAX_VALUE, RequestLimits.MAX_CONTROL_PERIOD_NS + 1, -5}) {
                StatusRuntimeException e = refused(() -> c.stub().openSession(OpenSessionRequest.newBuilder().setControlPeriodNs(period).build()));
                assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
                assertTrue(e.getStatus().getDescription().contains("control_period_ns is " + period), e.getStatus().getDescription());
            }
            // an hour is allowed, and its action times stay positive and increasing
            String id = c.stub().openSession(OpenSessionRequest.newBuilder().setControlPeriodNs(RequestLimits.MAX_CONTROL_PERIOD_NS).build())
                    .getSessionId();
            Observation.Builder o = Observation.newBuilder();
            for (int i = 0; i < 20; i++) o.addValues(0.1 * i);
            var reply = c.stub().act(ActRequest.newBuilder().setSessionId(id).addObservations(o).setObservationTimeNs(1_000).build());
            for (int k = 1; k < reply.getActionsCount(); k++)
                assertTrue(reply.getActions(k).getTimeNs() > reply.getActions(k - 1).getTimeNs() && reply.getActions(k).getTimeNs() > 0);
        }
    }

    @Test
    void anOversizedMessageIsLoggedInOneLine() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0));
             PolicyClient c = PolicyClient.connect(server.target())) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Observation.Builder o = Observation.newBuilder();
            for (int i = 0; i < server.maxMessageBytes() / 8 + 10; i++) o.addValues(i);
            StatusRuntimeException e = refused(() -> c.stub().act(ActRequest.newBuilder().setSessionId("x").addObservations(o).build()));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
            assertEquals(20, c.info().getObsDim());
        } finally {
            System.setErr(saved);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("exceeds maximum size"), log);
        assertFalse(log.contains("\tat "), "a stack trace: " + log);
        assertEquals(1, log.lines().filter(l -> l.contains("exceeds maximum size")).count(), log);
        // the line itself: level, class, message and the exception's own message
        LogRecord r = new LogRecord(Level.WARNING, "Exception processing message");
        r.setLoggerName("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream$TransportState");
        r.setThrown(new IllegalStateException("two\nlines"));
        assertEquals("grpc WARNING NettyServerStream$TransportState: Exception processing message: java.lang.IllegalStateException: two lines",
                GrpcLogLines.line(r));
    }

    @Test
    void theBearerSchemeIsCaseInsensitiveAndHealthIsOpen() {
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0).withToken("s3cret"))) {
            ManagedChannel ch = ManagedChannelBuilder.forTarget(server.target()).usePlaintext().build();
            try {
                for (String header : new String[] {"bearer s3cret", "BEARER s3cret", "Bearer  s3cret"}) {
                    Metadata m = new Metadata();
                    m.put(TokenAuth.AUTHORIZATION, header);
                    var stub = PolicyServiceGrpc.newBlockingStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m))
                            .withDeadlineAfter(30, TimeUnit.SECONDS);
                    assertEquals(20, stub.info(InfoRequest.getDefaultInstance()).getObsDim(), header);
                }
                for (String header : new String[] {"Basic s3cret", "Bearers3cret", "s3cret", "bearer S3CRET"}) {
                    Metadata m = new Metadata();
                    m.put(TokenAuth.AUTHORIZATION, header);
                    var stub = PolicyServiceGrpc.newBlockingStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
                    assertEquals(Status.Code.UNAUTHENTICATED, refused(() -> stub.info(InfoRequest.getDefaultInstance())).getStatus().getCode(), header);
                }
                // the health check needs no token: it says SERVING and nothing else
                var health = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
                assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                        health.check(HealthCheckRequest.newBuilder().setService(PolicyServiceGrpc.SERVICE_NAME).build()).getStatus());
                assertEquals(Status.Code.UNAUTHENTICATED,
                        refused(() -> PolicyServiceGrpc.newBlockingStub(ch).info(InfoRequest.getDefaultInstance())).getStatus().getCode());
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void healthAsksForTheTokenWhenConfiguredSo() {
        try (PolicyServer server = PolicyServer.start(policy, ServeConfig.loopback(0).withToken("s3cret").withHealthNeedsToken(true))) {
            ManagedChannel ch = ManagedChannelBuilder.forTarget(server.target()).usePlaintext().build();
            try {
                var health = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
                assertEquals(Status.Code.UNAUTHENTICATED, refused(() -> health.check(
                        HealthCheckRequest.newBuilder().setService(PolicyServiceGrpc.SERVICE_NAME).build())).getStatus().getCode());
                Metadata m = new Metadata();
                m.put(TokenAuth.AUTHORIZATION, "Bearer s3cret");
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m))
                        .check(HealthCheckRequest.newBuilder().setService(PolicyServiceGrpc.SERVICE_NAME).build()).getStatus());
            } finally {
                ch.shutdownNow();
            }
        }
    }
}
