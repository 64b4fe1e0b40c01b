package org.steppolicy.serve;

/**
 * Where a session's observations fall on its control clock, so that a request whose observations would leave a gap
 * in the To-step history is refused instead of silently giving the policy a stale window. With To = 2 and Ta = 8, a
 * client that sends only the newest observation every Ta periods leaves the history's older step 8 periods old; the
 * policy then acts on a velocity it never saw in training (measured: Push-T 0.30 against 0.75 with the right
 * observations). The observations of one request are one control period apart, the newest taken at the request's
 * time. Not thread-safe: used under the session's lock.
 */
final class ObservationTimeline {
    private final int obsSteps;
    private final long periodNanos;
    private boolean started;
    private boolean timeKnown;
    private long newestNanos;
    private long periods = -1;

    ObservationTimeline(int obsSteps, long periodNanos) {
        if (obsSteps < 1 || periodNanos <= 0) throw new IllegalArgumentException("obsSteps " + obsSteps + ", period " + periodNanos);
        this.obsSteps = obsSteps;
        this.periodNanos = periodNanos;
    }

    /** A new episode: the next request starts the history afresh. */
    void reset() {
        started = false;
        timeKnown = false;
        periods = -1;
    }

    /**
     * The control periods between the last admitted request's newest observation and the previous one's (rounded to
     * the nearest period, at least 1), or -1 when unknown (first request of an episode, or a time missing on either).
     * This is how far the previous chunk's timeline had advanced: the executed count of its warm start.
     */
    long periodsSincePrevious() { return periods; }

    /**
     * Checks a request of {@code count} observations (the newest taken at {@code timeNanos} when {@code hasTime}) and
     * records it. Returns how many of its oldest observations to skip because the history already holds them (a
     * client may resend the whole window every call). Throws IllegalArgumentException, naming what was expected,
     * when the request leaves a gap and {@code allowGap} is false; nothing is recorded then.
     */
    int admit(int count, boolean hasTime, long timeNanos, boolean allowGap) {
        if (count < 1) throw new IllegalArgumentException("no observations");
        if (hasTime && timeKnown && started && timeNanos <= newestNanos)
            throw new IllegalArgumentException("observation_time_ns " + timeNanos + " is not after the previous call's "
                    + newestNanos + ": it must increase from call to call (the time the newest observation was taken)");
        int skip = 0;
        long since = -1;
        if (started && hasTime && timeKnown) since = Math.max(1, Math.round((double) (timeNanos - newestNanos) / periodNanos));
        if (started && count < obsSteps && !allowGap) {
            if (!hasTime || !timeKnown)
                throw new IllegalArgumentException("got " + count + " observation" + (count == 1 ? "" : "s") + " without "
                        + (hasTime ? "the previous call's time" : "observation_time_ns")
                        + ", so the server cannot tell whether they follow the previous call's: send the " + obsSteps
                        + " newest observations (To = " + obsSteps + "), or observation_time_ns on every call, or set "
                        + "allow_history_gap to accept a stale history");
            long periods = Math.round((double) (timeNanos - newestNanos) / periodNanos);
            if (periods < 1)
                throw new IllegalArgumentException("observation_time_ns is " + (timeNanos - newestNanos) + " ns after the "
                        + "previous call's, less than half a control period (" + periodNanos + " ns): one observation "
                        + "per control period");
            long expected = Math.min(periods, obsSteps);
            if (count < expected)
                throw new IllegalArgumentException("the observations leave a gap in the " + obsSteps + "-step history: "
                        + "the newest was taken " + periods + " control periods after the previous call's, so the server "
                        + "expected the " + expected + " observations taken since then (got " + count + "), oldest first, "
                        + "one per control period; set allow_history_gap to accept a stale history");
            skip = (int) (count - Math.min(count, periods));
        }
        started = true;
        periods = since;
        timeKnown = hasTime;
        if (hasTime) newestNanos = timeNanos;
        return skip;
    }
}
