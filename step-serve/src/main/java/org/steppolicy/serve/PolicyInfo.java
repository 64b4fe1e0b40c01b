package org.steppolicy.serve;

import java.util.List;
import java.util.Map;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.models.ImageObsSpec;

/**
 * What a client needs to know about the served policy.
 *
 * @param methods       the method labels a session may ask for
 * @param defaultMethod the one a session gets when it names none (one of methods)
 * @param provenance    where the models came from (checkpoint directories, runtime), for logs
 * @param image         the observation layout of an image policy, null for low-dim ones
 */
public record PolicyInfo(PolicyShape shape, List<String> methods, String defaultMethod, Map<String, String> provenance,
                         ImageObsSpec image) {
    public PolicyInfo {
        methods = List.copyOf(methods);
        provenance = Map.copyOf(provenance);
        if (!methods.contains(defaultMethod))
            throw new IllegalArgumentException("default method " + defaultMethod + " is not among " + methods);
    }
}
