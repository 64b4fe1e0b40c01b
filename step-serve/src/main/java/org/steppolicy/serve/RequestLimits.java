package org.steppolicy.serve;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Ranges of the numbers a client sends that size or time anything: checked when they arrive, so a value like
 * 2^63-1 is refused with INVALID_ARGUMENT instead of overflowing the action times computed from it.
 */
final class RequestLimits {
    /** An hour between two actions: far beyond any robot, and k x period + timestamp stays far from overflow. */
    static final long MAX_CONTROL_PERIOD_NS = 3_600_000_000_000L;

    private RequestLimits() {}

    /** The session's control period: the one requested, or the default for 0. */
    static long controlPeriod(long requestedNs, long defaultNs) {
        if (requestedNs < 0 || requestedNs > MAX_CONTROL_PERIOD_NS)
            throw invalid("control_period_ns is " + requestedNs + "; give a period of 1 ns to " + MAX_CONTROL_PERIOD_NS
                    + " ns (an hour), or 0 for the default");
        return requestedNs > 0 ? requestedNs : defaultNs;
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
