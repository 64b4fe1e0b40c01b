package org.steppolicy.data;

/** Row-major float matrices as the double matrices the simulator and the clients take. */
public final class Matrices {
    private Matrices() {}

    /** A double copy of every row (ragged rows stay ragged). */
    public static double[][] widen(float[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) out[i][j] = a[i][j];
        }
        return out;
    }
}
