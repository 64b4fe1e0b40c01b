package org.steppolicy.infer.policy;

import org.steppolicy.infer.Method;
import org.steppolicy.infer.PolicyModels;

/**
 * Opens fresh runtime instances of trained networks that stay loaded, immutable, behind it: one call per
 * {@link StepPolicy}, which closes what it got. Runtimes reuse their buffers, so instances are never shared between
 * policies; the weights are.
 */
@FunctionalInterface
public interface ModelSource {
    /** The DP and, when the method reads one, its predictor, on this source's runtime. */
    PolicyModels open(Method method);

    /** Where the models come from, for {@link PolicyInfo#provenance()}. */
    default String provenance() { return "models given in memory"; }
}
