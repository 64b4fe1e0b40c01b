package org.steppolicy.models;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * Switches ND4J's platform helpers (the oneDNN kernels of the {@code -Ponednn} build) off for the ops named in the
 * system property {@code step.nd4j.noHelpers} or the environment variable {@code STEP_ND4J_NO_HELPERS} (a comma
 * list of libnd4j op names, e.g. {@code xw_plus_b,xw_plus_b_bp}), leaving them on for every other op. ND4J itself
 * only has the all-or-nothing switch ({@code SD_FORBID_HELPERS}, {@code Environment.allowHelpers}); the per-op one
 * is the op context's, set here by a listener before each op runs. Unset (the default), nothing is attached.
 */
public final class PlatformHelpers {
    private PlatformHelpers() {}

    static final Set<String> OFF = parse(System.getProperty("step.nd4j.noHelpers", System.getenv("STEP_ND4J_NO_HELPERS")));

    static Set<String> parse(String list) {
        if (list == null) return Set.of();
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Attaches the switch for the configured ops to {@code sd} once, when any op is named. */
    static void attach(SameDiff sd) { attach(sd, OFF); }

    static void attach(SameDiff sd, Set<String> off) {
        if (off.isEmpty()) return;
        for (Listener l : sd.getListeners()) if (l instanceof Switch) return;
        sd.addListeners(new Switch(off));
    }

    private static final class Switch extends BaseListener {
        private final Set<String> off;

        Switch(Set<String> off) { this.off = off; }

        @Override public boolean isActive(Operation operation) { return true; }

        @Override public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
            if (ctx != null && off.contains(op.getOp().opName())) ctx.allowHelpers(false);
        }
    }
}
