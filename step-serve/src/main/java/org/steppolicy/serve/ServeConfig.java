package org.steppolicy.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How the server listens and bounds its sessions.
 *
 * @param host            address to bind: loopback unless the robot stack runs on another machine
 * @param port            0 picks a free port ({@link PolicyServer#port()} tells which)
 * @param token           when set, every call needs metadata {@code authorization: Bearer <token>}
 * @param tlsCert         PEM certificate chain and key (both or neither): TLS through grpc's TlsServerCredentials
 * @param controlPeriod   the time between two executed actions of a session that names none (Push-T: 10 Hz)
 * @param maxMessageBytes largest request accepted; 0 sizes it from the policy (a few observation windows)
 * @param threads         transport threads (one per connection) and threads for calls that wait; 0: the session limit + 4
 * @param drainTimeout    how long a shutdown waits for in-flight calls
 * @param healthNeedsToken with a token: the standard health service asks for it too (default open: it answers
 *                        SERVING or not and reveals nothing, and load balancers probe it without credentials)
 */
public record ServeConfig(String host, int port, int maxSessions, Duration idleTimeout, String token, Path tlsCert,
                          Path tlsKey, Duration controlPeriod, int maxMessageBytes, int threads, Duration drainTimeout,
                          boolean healthNeedsToken) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 50051;

    public ServeConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535, got " + port);
        if (maxSessions < 1) throw new IllegalArgumentException("max sessions must be >= 1, got " + maxSessions);
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idle timeout must be positive, got " + idleTimeout);
        if (controlPeriod.isNegative() || controlPeriod.isZero() || controlPeriod.compareTo(Duration.ofNanos(RequestLimits.MAX_CONTROL_PERIOD_NS)) > 0)
            throw new IllegalArgumentException("control period must be positive and at most an hour");
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("TLS needs both a certificate and a key");
        if (maxMessageBytes < 0 || threads < 0) throw new IllegalArgumentException("message size and threads must be >= 0");
    }

    /** 127.0.0.1, 16 sessions, 5 minutes idle, no token, plaintext, 100 ms control period. */
    public static ServeConfig loopback(int port) {
        return new ServeConfig(LOOPBACK, port, 16, Duration.ofMinutes(5), null, null, null, Duration.ofMillis(100), 0, 0,
                Duration.ofSeconds(30), false);
    }

    /** "5m", "30s", "100ms", "2h", "250us" or an ISO-8601 duration ("PT5M"). */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            int i = 0;
            while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
            double v = Double.parseDouble(t.substring(0, i));
            double nanos = switch (t.substring(i).trim()) {
                case "h" -> v * 3.6e12;
                case "m", "min" -> v * 6e10;
                case "s", "" -> v * 1e9;
                case "ms" -> v * 1e6;
                case "us" -> v * 1e3;
                case "ns" -> v;
                default -> throw new IllegalArgumentException();
            };
            return Duration.ofNanos(Math.round(nanos));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 5m, 30s, 100ms)");
        }
    }

    /** The token file's first line, trimmed. */
    public static String readToken(Path file) {
        return TokenAuth.read(file);
    }

    public ServeConfig withPort(int p) {
        return copy(c -> c.port = p);
    }

    public ServeConfig withControlPeriod(Duration d) {
        return copy(c -> c.controlPeriod = d);
    }

    public ServeConfig withMaxSessions(int n) {
        return copy(c -> c.maxSessions = n);
    }

    public ServeConfig withIdleTimeout(Duration d) {
        return copy(c -> c.idleTimeout = d);
    }

    public ServeConfig withToken(String t) {
        return copy(c -> c.token = t);
    }

    public ServeConfig withHost(String h) {
        return copy(c -> c.host = h);
    }

    public ServeConfig withTls(Path cert, Path key) {
        return copy(c -> {
            c.tlsCert = cert;
            c.tlsKey = key;
        });
    }

    public ServeConfig withMaxMessageBytes(int n) {
        return copy(c -> c.maxMessageBytes = n);
    }

    public ServeConfig withHealthNeedsToken(boolean b) {
        return copy(c -> c.healthNeedsToken = b);
    }

    /** This config with some components changed by {@code change}; the constructor checks the result again. */
    private ServeConfig copy(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return c.build();
    }

    /** The components of one copy, to change before {@link #build}: one constructor call for every with... method. */
    private static final class Components {
        String host;
        int port;
        int maxSessions;
        Duration idleTimeout;
        String token;
        Path tlsCert;
        Path tlsKey;
        Duration controlPeriod;
        int maxMessageBytes;
        int threads;
        Duration drainTimeout;
        boolean healthNeedsToken;

        Components(ServeConfig r) {
            host = r.host;
            port = r.port;
            maxSessions = r.maxSessions;
            idleTimeout = r.idleTimeout;
            token = r.token;
            tlsCert = r.tlsCert;
            tlsKey = r.tlsKey;
            controlPeriod = r.controlPeriod;
            maxMessageBytes = r.maxMessageBytes;
            threads = r.threads;
            drainTimeout = r.drainTimeout;
            healthNeedsToken = r.healthNeedsToken;
        }

        ServeConfig build() {
            return new ServeConfig(host, port, maxSessions, idleTimeout, token, tlsCert, tlsKey, controlPeriod, maxMessageBytes, threads, drainTimeout, healthNeedsToken);
        }
    }
}
