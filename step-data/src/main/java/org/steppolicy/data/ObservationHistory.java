package org.steppolicy.data;

/**
 * The last To raw observations, oldest first; after a reset the first observation fills every slot (§E.4,
 * MultiStepWrapper). The one history both the policy (step-infer) and the simulator's evaluator (step-sim) keep.
 */
public final class ObservationHistory {
    private final double[][] window;
    private boolean empty = true;

    public ObservationHistory(int obsSteps, int obsDim) {
        window = new double[obsSteps][obsDim];
    }

    public void reset() { empty = true; }

    public void push(double[] obs) {
        if (obs.length != window[0].length)
            throw new IllegalArgumentException("observation has " + obs.length + " values, expected " + window[0].length);
        if (empty) {
            for (double[] row : window) System.arraycopy(obs, 0, row, 0, obs.length);
            empty = false;
            return;
        }
        double[] oldest = window[0];
        System.arraycopy(window, 1, window, 0, window.length - 1);
        window[window.length - 1] = oldest;
        System.arraycopy(obs, 0, oldest, 0, obs.length);
    }

    /** A copy of the window, safe to keep. */
    public double[][] copy() {
        double[][] w = window();
        double[][] c = new double[w.length][];
        for (int i = 0; i < w.length; i++) c[i] = w[i].clone();
        return c;
    }

    /** The live window (do not keep it across pushes). */
    public double[][] window() {
        if (empty) throw new IllegalStateException("no observation since reset");
        return window;
    }
}
