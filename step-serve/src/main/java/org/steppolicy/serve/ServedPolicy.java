package org.steppolicy.serve;

/**
 * What the server serves: one loaded policy (models loaded once) from which each robot session gets its own
 * {@link SessionPolicy}. The server is written against this interface only, so changing how policies are built (today
 * {@link StepServedPolicy} over step-infer's StepPolicy) is one adapter class.
 */
public interface ServedPolicy extends AutoCloseable {
    PolicyInfo info();

    /**
     * A fresh per-session policy for one of {@code info().methods()} (its label, e.g. "step:2"): its own history,
     * cache, noise and perturbation state, sharing the loaded models read-only. IllegalArgumentException names an
     * unknown or disallowed method.
     */
    SessionPolicy openSession(String method);

    /**
     * How many sessions may compute at the same time (the server never runs more chunks at once): the model instances,
     * times the largest batch when the sessions' forwards are batched.
     */
    int concurrency();

    /** Forwards and rows run so far when sessions' forwards are batched; null when they are not. */
    default BatchStats batchStats() { return null; }

    @Override
    void close();
}
