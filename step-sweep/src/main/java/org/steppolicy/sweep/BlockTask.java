package org.steppolicy.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * One Spark task's work: one cell (a policy with a method and its inference overrides) on one seed block. Plain
 * strings, so that it serialises to any executor: the driver's resolved config as YAML, the policy folders as
 * absolute paths (they must be readable there: docs/sweep.md, "On a cluster").
 */
public record BlockTask(int cell, int block, String policyDir, List<String> predictorDirs, String method, List<String> overrides,
                        String configYaml, long seed, int episodes) implements Serializable {
    public BlockTask {
        predictorDirs = List.copyOf(predictorDirs);
        overrides = List.copyOf(overrides);
    }
}
