package org.steppolicy.serve;

import java.util.concurrent.locks.ReentrantLock;
import org.steppolicy.data.ObservationHistory;

/**
 * One robot's state on the server: its policy (previous chunk, noise, perturbation), its observation history (with
 * the times that check requests against it) and chunk counter. Every call holds {@link #lock}, so a session's calls
 * run one at a time while sessions run concurrently; {@code closed} is set under the lock, so a call that got the session before it expired or was
 * closed sees it and answers NOT_FOUND instead of running on a dead session.
 */
final class Session {
    final String id;
    final SessionPolicy policy;
    final long controlPeriodNanos;
    final long seed;
    final ObservationHistory history;
    // Guarded by lock, like the history it checks requests against:
    final ObservationTimeline timeline;
    final ReentrantLock lock = new ReentrantLock();
    private volatile long lastUsedNanos;
    // Guarded by lock:
    long chunkIndex;
    boolean closed;
    // Guarded by ConnectionLoad:
    Object connection;

    Session(String id, SessionPolicy policy, long controlPeriodNanos, long seed, int obsSteps, int obsDim, long now) {
        this.id = id;
        this.policy = policy;
        this.controlPeriodNanos = controlPeriodNanos;
        this.seed = seed;
        this.history = new ObservationHistory(obsSteps, obsDim);
        this.timeline = new ObservationTimeline(obsSteps, controlPeriodNanos);
        this.lastUsedNanos = now;
        policy.reset(seed);
    }

    void touch(long now) { lastUsedNanos = now; }

    long lastUsedNanos() { return lastUsedNanos; }

    /** A new episode: empty history, no previous chunk, noise from {@code seed}. Call under the lock. */
    void reset(long newSeed) {
        policy.reset(newSeed);
        history.reset();
        timeline.reset();
        chunkIndex = 0;
    }
}
