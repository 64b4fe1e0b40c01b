package org.steppolicy.train;

import java.nio.file.Path;

/**
 * Training stopped on request (Ctrl-C, SIGTERM) after finishing its step and writing a checkpoint; the CLI prints
 * the message and exits 130.
 */
public final class TrainingInterrupted extends RuntimeException {
    private final long step;
    private final Path checkpoint;

    public TrainingInterrupted(long step, Path checkpoint, Path runDir) {
        super("interrupted at step " + step + ": wrote checkpoint " + checkpoint + "; continue with --resume " + runDir);
        this.step = step;
        this.checkpoint = checkpoint;
    }

    public long step() { return step; }

    public Path checkpoint() { return checkpoint; }
}
