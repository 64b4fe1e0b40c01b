package org.steppolicy.train;

import java.nio.file.Path;

/**
 * How a training command treats its run folder and data; a record of its own because the CLI and the quickstart
 * build it and every training job takes it.
 * @param force           replace a run that is in --out (its files are deleted)
 * @param allowDataChange resume on data (or a normaliser) other than the run's; the run's normaliser is kept
 * @param initFrom        a new run starts from these weights ({@link InitialWeights}); null: the network's initial ones
 */
public record RunOptions(boolean force, boolean allowDataChange, Path initFrom) {
    public static final RunOptions DEFAULT = new RunOptions(false, false, null);

    public RunOptions(boolean force, boolean allowDataChange) {
        this(force, allowDataChange, null);
    }
}
