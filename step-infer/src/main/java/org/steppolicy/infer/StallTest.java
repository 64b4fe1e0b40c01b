package org.steppolicy.infer;

import java.util.Collection;
import org.steppolicy.data.Percentile;

/**
 * How the velocity-aware stall test behaved over many calls: how many calls it ran on, how often it fired (‖ΔA‖ < ε_a,
 * so the warm start took σ_stall), and the spread of ‖ΔA‖ (L2 norm of the difference of the last two normalised chunks),
 * which tells how far ε_a is from firing. Norms are NaN when the test never ran.
 */
public record StallTest(int tested, int fired, double normMin, double normP05, double normP50, double normP95) {

    public static StallTest of(Collection<CallLatency> calls) {
        double[] n = calls.stream().mapToDouble(CallLatency::velocityNorm).filter(Double::isFinite).sorted().toArray();
        int fired = (int) calls.stream().filter(CallLatency::stalled).count();
        if (n.length == 0) return new StallTest(0, fired, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new StallTest(n.length, fired, n[0], Percentile.ofSorted(n, 5), Percentile.ofSorted(n, 50), Percentile.ofSorted(n, 95));
    }
}
