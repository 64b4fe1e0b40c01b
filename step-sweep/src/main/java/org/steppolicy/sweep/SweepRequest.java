package org.steppolicy.sweep;

import java.nio.file.Path;
import org.steppolicy.config.StepConfig;

/**
 * One sweep: the resolved config every cell starts from, the grid, the Spark master (null: the one spark-submit set,
 * else local[*]), the number of partitions (0: one per cell and seed block), the output folder ({@code force}:
 * replace a sweep there). {@code failFirstAttempt} is a test hook: every task's first attempt fails after one block.
 */
public record SweepRequest(StepConfig config, SweepGrid grid, String master, int partitions, Path out, boolean force,
                           boolean failFirstAttempt) {

    public static SweepRequest of(StepConfig config, SweepGrid grid, Path out) {
        return new SweepRequest(config, grid, null, 0, out, false, false);
    }

    public SweepRequest withMaster(String m) {
        return new SweepRequest(config, grid, m, partitions, out, force, failFirstAttempt);
    }

    public SweepRequest withPartitions(int p) {
        return new SweepRequest(config, grid, master, p, out, force, failFirstAttempt);
    }

    public SweepRequest withForce(boolean f) {
        return new SweepRequest(config, grid, master, partitions, out, f, failFirstAttempt);
    }

    SweepRequest withFailFirstAttempt(boolean f) {
        return new SweepRequest(config, grid, master, partitions, out, force, f);
    }
}
