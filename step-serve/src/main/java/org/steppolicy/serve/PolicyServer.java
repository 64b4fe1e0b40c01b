package org.steppolicy.serve;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.serve.proto.PolicyServiceGrpc;

/**
 * A {@link ServedPolicy} behind gRPC: the PolicyService of step_serve.proto plus the standard health service, on one
 * address, with the session limit, idle expiry, optional token and TLS of a {@link ServeConfig}.
 *
 * <pre>{@code
 * try (ServedPolicy p = StepServedPolicy.load(dpDir, List.of(predDir), StepServedPolicy.Options.of("step:2"));
 *      PolicyServer s = PolicyServer.start(p, ServeConfig.loopback(50051))) {
 *     s.awaitSignal(System.out);   // SIGTERM / SIGINT: drain, then return
 * }
 * }</pre>
 */
public final class PolicyServer implements AutoCloseable {
    private final Server server;
    private final SessionRegistry sessions;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService executor;
    private final Transport transport;
    private final ScheduledExecutorService sweeper;
    private final ServeConfig config;
    private final int maxMessageBytes;
    private volatile boolean stopped;

    private PolicyServer(ServedPolicy policy, ServeConfig c) {
        this.config = c;
        ConnectionLoad connections = new ConnectionLoad();
        this.sessions = new SessionRegistry(policy, c.maxSessions(), c.idleTimeout(), System::nanoTime, connections);
        this.maxMessageBytes = c.maxMessageBytes() > 0 ? c.maxMessageBytes() : defaultMaxMessage(policy.info().shape());
        int threads = c.threads() > 0 ? c.threads() : Math.min(64, c.maxSessions() + 4);
        this.executor = Executors.newFixedThreadPool(threads, daemon("step-serve-call"));
        // One transport thread per connection (up to the session limit): Act computes on it when it need not wait
        // (PolicyService.act), which blocks only that connection, i.e. that robot, whose calls are serialized anyway.
        this.transport = Transport.create(threads);
        ServerCredentials creds;
        try {
            creds = c.tlsCert() == null ? InsecureServerCredentials.create()
                    : TlsServerCredentials.create(c.tlsCert().toFile(), c.tlsKey().toFile());
        } catch (IOException | IllegalArgumentException e) {
            executor.shutdownNow();
            transport.close();
            throw new UserError("cannot use the TLS certificate " + c.tlsCert() + " and key " + c.tlsKey() + ": " + e.getMessage());
        }
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(c.host(), c.port()), creds)
                .directExecutor()
                .bossEventLoopGroup(transport.boss()).workerEventLoopGroup(transport.workers()).channelType(transport.channel())
                .maxInboundMessageSize(maxMessageBytes)
                .addStreamTracerFactory(new ArrivalTime())
                .addService(new PolicyService(policy, sessions, connections, c.controlPeriod().toNanos(), maxMessageBytes, executor))
                .addService(health.getHealthService());
        b.intercept(connections);
        // Interceptors run last-added first: the token is checked before anything else, and every status a call
        // ends with (the token's refusal included) has its description bounded.
        if (c.token() != null) b.intercept(new TokenAuth(c.token(), !c.healthNeedsToken()));
        b.intercept(new BoundedStatus());
        GrpcLogLines.install();
        try {
            this.server = b.build().start();
        } catch (IOException e) {
            executor.shutdownNow();
            transport.close();
            throw new UserError("cannot listen on " + c.host() + ":" + c.port() + ": " + e.getMessage());
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(PolicyServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(daemon("step-serve-sweeper"));
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(30), c.idleTimeout().toNanos() / 4));
        sweeper.scheduleWithFixedDelay(sessions::sweep, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * Binds and starts; the policy stays the caller's to close (after the server). A port in use or an unreadable
     * certificate is a {@link UserError}.
     */
    public static PolicyServer start(ServedPolicy policy, ServeConfig config) {
        return new PolicyServer(policy, config);
    }

    /** Room for a few observation windows of raw doubles: more than any valid request needs, far less than grpc's 4 MiB. */
    static int defaultMaxMessage(PolicyShape s) {
        long window = (long) s.obsSteps() * (s.obsDim() * 8L + 16);
        return (int) Math.min(Integer.MAX_VALUE, 64 * 1024 + 4 * window);
    }

    public int port() { return server.getPort(); }

    /** host:port, as a client's target. */
    public String target() { return config.host() + ":" + port(); }

    public int maxMessageBytes() { return maxMessageBytes; }

    public int openSessions() { return sessions.size(); }

    /**
     * Stops taking calls (new ones get UNAVAILABLE, health turns NOT_SERVING), lets in-flight calls finish within the
     * drain timeout, then closes every session.
     */
    public void shutdown() {
        if (stopped) return;
        stopped = true;
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(config.drainTimeout().toNanos(), TimeUnit.NANOSECONDS)) server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            sweeper.shutdownNow();
            executor.shutdownNow();
            transport.close();
            sessions.clear();
        }
    }

    /**
     * Serves until SIGTERM or SIGINT, then drains and returns, so the process can exit 0 (the JVM's own handling of
     * SIGTERM would exit 143 without waiting for in-flight calls). A second signal during the drain stops at once
     * with exit code 130, as a second Ctrl-C does in training. The previous handlers come back afterwards.
     */
    @SuppressWarnings("restriction")
    public void awaitSignal(PrintWriter log) {
        CountDownLatch stop = new CountDownLatch(1);
        sun.misc.SignalHandler onSignal = sig -> {
            if (stop.getCount() == 0) {
                log.println("stopping now (second " + sig.getName() + "): in-flight calls are dropped");
                log.flush();
                Runtime.getRuntime().halt(130);
            }
            stop.countDown();
        };
        List<sun.misc.Signal> signals = new ArrayList<>();
        List<sun.misc.SignalHandler> previous = new ArrayList<>();
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                previous.add(sun.misc.Signal.handle(sig, onSignal));
                signals.add(sig);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // reserved by the JVM here (-Xrs): that signal keeps its default behaviour
            }
        }
        try {
            stop.await();
            log.println("draining in-flight calls (up to " + config.drainTimeout().toSeconds() + " s; again to stop at once) ...");
            log.flush();
            shutdown();
            log.println("stopped");
            log.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
        } finally {
            for (int i = 0; i < signals.size(); i++) sun.misc.Signal.handle(signals.get(i), previous.get(i));
        }
    }

    @Override
    public void close() { shutdown(); }

    /**
     * {@code step serve}: starts the server, prints where it listens, serves until SIGTERM or SIGINT, drains and
     * returns (the process then exits 0). The policy is closed on return.
     */
    public static void serveUntilSignalled(ServedPolicy policy, ServeConfig config, PrintWriter log) {
        try (policy; PolicyServer server = start(policy, config)) {
            PolicyInfo i = policy.info();
            log.printf("step serve: %s on %s (default %s; max %d sessions, idle timeout %s, token %s, TLS %s)%n",
                    i.methods(), server.target(), i.defaultMethod(), config.maxSessions(), config.idleTimeout(),
                    config.token() != null ? "required" : "off", config.tlsCert() != null ? "on" : "off");
            if (!isLoopback(config.host()) && config.token() == null)
                log.println("warning: listening beyond loopback without a token: anyone who can reach the port can drive the policy");
            log.flush();
            server.awaitSignal(log);
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Netty's event loops, native epoll where available; grpc does not close groups it was given, so we do. */
    private record Transport(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channel) {
        static Transport create(int workers) {
            if (Epoll.isAvailable())
                return new Transport(new EpollEventLoopGroup(1, daemon("step-serve-accept")),
                        new EpollEventLoopGroup(workers, daemon("step-serve-io")), EpollServerSocketChannel.class);
            return new Transport(new NioEventLoopGroup(1, daemon("step-serve-accept")),
                    new NioEventLoopGroup(workers, daemon("step-serve-io")), NioServerSocketChannel.class);
        }

        void close() {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
