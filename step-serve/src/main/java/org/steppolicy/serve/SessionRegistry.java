package org.steppolicy.serve;

import io.grpc.Status;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The open sessions: at most {@code maxSessions}; a session idle for longer than {@code idleTimeout} is closed (by
 * {@link #sweep}, and on lookup, so expiry does not depend on the sweeper's timing). A full registry refuses new
 * sessions with RESOURCE_EXHAUSTED rather than evicting a live one. Ids are random 128-bit hex strings, so one
 * client cannot guess another's session.
 */
final class SessionRegistry {
    /** Ids of recently expired or closed sessions, so NOT_FOUND can say why (bounded: it is only for messages). */
    private static final int REMEMBERED = 4096;

    private final ServedPolicy policy;
    private final int maxSessions;
    private final long idleNanos;
    private final LongSupplier clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> gone = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) { return size() > REMEMBERED; }
    };
    private final SecureRandom random = new SecureRandom();

    private final ConnectionLoad connections;

    SessionRegistry(ServedPolicy policy, int maxSessions, Duration idleTimeout, LongSupplier clock, ConnectionLoad connections) {
        this.connections = connections;
        if (maxSessions < 1) throw new IllegalArgumentException("max sessions must be >= 1, got " + maxSessions);
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idle timeout must be positive");
        this.policy = policy;
        this.maxSessions = maxSessions;
        this.idleNanos = idleTimeout.toNanos();
        this.clock = clock;
    }

    int maxSessions() { return maxSessions; }

    long idleTimeoutNanos() { return idleNanos; }

    int size() { return sessions.size(); }

    /** Opens a session; the method must be one the policy serves (IllegalArgumentException otherwise). */
    synchronized Session open(String method, long controlPeriodNanos, long seed, Object connection) {
        sweep();
        if (sessions.size() >= maxSessions)
            throw Status.RESOURCE_EXHAUSTED.withDescription("the server is full: " + sessions.size() + " of " + maxSessions
                    + " sessions open; close one, or wait for an idle one to expire (after "
                    + Duration.ofNanos(idleNanos) + " without a call)").asRuntimeException();
        SessionPolicy p = policy.openSession(method);
        byte[] b = new byte[16];
        random.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        var shape = policy.info().shape();
        Session s = new Session(id, p, controlPeriodNanos, seed, shape.obsSteps(), shape.obsDim(), clock.getAsLong());
        sessions.put(id, s);
        connections.bind(s, connection);
        return s;
    }

    /** The live session with this id, touched; NOT_FOUND for an unknown, closed or expired one. */
    Session get(String id) {
        Session s = sessions.get(id);
        long now = clock.getAsLong();
        if (s != null && now - s.lastUsedNanos() > idleNanos) {
            expire(s, now);
            s = sessions.get(id);
        }
        if (s == null) {
            String why;
            synchronized (this) {
                why = gone.get(id);
            }
            throw Status.NOT_FOUND.withDescription(id.isEmpty() ? "no session_id given: call OpenSession first"
                    : "session " + id + (why != null ? " " + why : " is unknown")).asRuntimeException();
        }
        s.touch(now);
        return s;
    }

    /** Closes a session (idempotent only in effect: an unknown id is NOT_FOUND). */
    void close(String id) {
        Session s = get(id);
        s.lock.lock();
        try {
            remove(s, "was closed");
        } finally {
            s.lock.unlock();
        }
    }

    /** Closes every session idle for longer than the timeout and not inside a call. */
    void sweep() {
        long now = clock.getAsLong();
        for (Session s : sessions.values()) {
            if (now - s.lastUsedNanos() > idleNanos) expire(s, now);
        }
    }

    private void expire(Session s, long now) {
        // A session inside a call is in use, not idle; tryLock also keeps the sweeper from waiting on a long call.
        if (!s.lock.tryLock()) return;
        try {
            if (!s.closed && now - s.lastUsedNanos() > idleNanos)
                remove(s, "expired after " + Duration.ofNanos(idleNanos) + " without a call");
        } finally {
            s.lock.unlock();
        }
    }

    /** Call under the session's lock. */
    private void remove(Session s, String why) {
        s.closed = true;
        sessions.remove(s.id, s);
        connections.unbind(s);
        s.policy.close();
        synchronized (this) {
            gone.put(s.id, why);
        }
    }

    /** Closes every session (server shutdown). */
    void clear() {
        for (Session s : sessions.values()) {
            s.lock.lock();
            try {
                remove(s, "was closed by the server's shutdown");
            } finally {
                s.lock.unlock();
            }
        }
    }
}
