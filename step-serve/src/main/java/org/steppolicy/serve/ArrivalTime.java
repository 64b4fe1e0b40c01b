package org.steppolicy.serve;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;

/**
 * Stamps each call with the moment its stream reached the server (on the transport thread, before the call waits for
 * an executor thread), so the queued time an Act reports covers the whole wait inside the server.
 */
final class ArrivalTime extends ServerStreamTracer.Factory {
    static final Context.Key<Long> NANOS = Context.key("step-serve-arrival-nanos");

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        long now = System.nanoTime();
        return new ServerStreamTracer() {
            @Override
            public Context filterContext(Context context) { return context.withValue(NANOS, now); }
        };
    }

    /** The current call's arrival, or {@code fallback} outside a traced call. */
    static long of(long fallback) {
        Long t = NANOS.get();
        return t != null ? t : fallback;
    }
}
