package org.steppolicy.cli.eval;

import org.steppolicy.infer.Method;
import org.steppolicy.infer.PolicyModels;

/**
 * Opens fresh runtime instances of the trained networks for one evaluation thread: runtimes reuse their buffers, so
 * every runner gets its own. The predictor depends on the method (the spatiotemporal one for step and predictor, the
 * spatial-only one for spatial).
 */
public interface ModelSource {
    PolicyModels open(Method method);
}
