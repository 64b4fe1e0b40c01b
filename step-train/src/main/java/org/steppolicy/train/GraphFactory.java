package org.steppolicy.train;

import org.nd4j.autodiff.samediff.SameDiff;

/** Builds the network as a fresh SameDiff graph with its initial parameters; {@code training} turns dropout on. */
@FunctionalInterface
public interface GraphFactory {
    SameDiff build(boolean training);
}
