package org.steppolicy.serve;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Live sessions per client connection. An Act may compute on its connection's transport thread only when that
 * connection carries no other session: a second session multiplexed on it would sit unread behind the compute instead
 * of running on the other compute slot. A connection is told apart by its remote address (one TCP connection each).
 */
final class ConnectionLoad implements ServerInterceptor {
    private static final Context.Key<Object> CONNECTION = Context.key("step-serve-connection");

    private final Map<Object, Integer> live = new HashMap<>();

    /** The current call's connection, or null outside a call. */
    static Object current() { return CONNECTION.get(); }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Object remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return Contexts.interceptCall(Context.current().withValue(CONNECTION, remote), call, headers, next);
    }

    /** Records that the session's calls now come over {@code connection}. */
    synchronized void bind(Session s, Object connection) {
        if (Objects.equals(s.connection, connection)) return;
        release(s.connection);
        s.connection = connection;
        if (connection != null) live.merge(connection, 1, Integer::sum);
    }

    /** The session is gone. */
    synchronized void unbind(Session s) {
        release(s.connection);
        s.connection = null;
    }

    /** True when {@code connection} carries exactly one live session. */
    synchronized boolean single(Object connection) {
        Integer n = connection == null ? null : live.get(connection);
        return n != null && n == 1;
    }

    private void release(Object connection) {
        if (connection != null) live.computeIfPresent(connection, (k, n) -> n > 1 ? n - 1 : null);
    }
}
