package org.steppolicy.serve;

/** Forwards run by a batching server and the session rows they carried, over every network. */
public record BatchStats(long forwards, long rows) {
    public double meanBatch() { return forwards == 0 ? 0 : (double) rows / forwards; }

    /** What happened between {@code before} and this reading. */
    public BatchStats since(BatchStats before) {
        return new BatchStats(forwards - before.forwards, rows - before.rows);
    }
}
