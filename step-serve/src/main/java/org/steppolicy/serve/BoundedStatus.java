package org.steppolicy.serve;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Every status description a call ends with is cut to {@value #MAX_DESCRIPTION} characters. A description echoes
 * the client's input (an unknown method string, a session id) and travels in HTTP/2 trailers, whose size is
 * limited: a method string of 8 kB echoed whole made the client see INTERNAL "RST_STREAM" instead of the
 * INVALID_ARGUMENT it was given.
 */
final class BoundedStatus implements ServerInterceptor {
    static final int MAX_DESCRIPTION = 1000;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                super.close(bounded(status), trailers);
            }
        }, headers);
    }

    static Status bounded(Status s) {
        String d = s.getDescription();
        if (d == null || d.length() <= MAX_DESCRIPTION) return s;
        return s.withDescription(d.substring(0, MAX_DESCRIPTION) + "... (" + (d.length() - MAX_DESCRIPTION) + " more characters)");
    }
}
