package org.steppolicy.eval;

import java.util.ArrayList;
import java.util.List;
import org.steppolicy.infer.PolicyShape;

/**
 * One control call replayed from a demonstration: the To raw observations the policy sees (oldest first) and the H raw
 * demonstrated actions its chunk should match, aligned like DP's sampler (chunk index i ↔ action t−To+1+i, edge-padded).
 */
public record OfflineWindow(double[][] obsHistory, double[][] targetActions) {

    /**
     * The windows of one episode at the policy's call times t = 0, Ta, 2Ta, … &lt; n, so that a runner fed them in order
     * sees what it would see in closed loop if it executed the demonstration (its cache holds its own chunks).
     */
    public static List<OfflineWindow> ofEpisode(float[][] obs, float[][] actions, PolicyShape shape) {
        int n = obs.length;
        if (n == 0 || actions.length != n)
            throw new IllegalArgumentException("episode has " + n + " observations and " + actions.length + " actions");
        List<OfflineWindow> out = new ArrayList<>();
        for (int t = 0; t < n; t += shape.actionSteps()) {
            int s = t - shape.obsSteps() + 1;
            double[][] o = new double[shape.obsSteps()][];
            for (int i = 0; i < o.length; i++) o[i] = toDouble(obs[clamp(s + i, n)], shape.obsDim(), "observation");
            double[][] a = new double[shape.horizon()][];
            for (int i = 0; i < a.length; i++) a[i] = toDouble(actions[clamp(s + i, n)], shape.actionDim(), "action");
            out.add(new OfflineWindow(o, a));
        }
        return out;
    }

    private static int clamp(int i, int n) { return Math.max(0, Math.min(n - 1, i)); }

    private static double[] toDouble(float[] v, int dim, String what) {
        if (v.length != dim) throw new IllegalArgumentException(what + " has " + v.length + " values, expected " + dim);
        double[] d = new double[dim];
        for (int i = 0; i < dim; i++) d[i] = v[i];
        return d;
    }
}
