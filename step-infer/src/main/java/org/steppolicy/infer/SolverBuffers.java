package org.steppolicy.infer;

/** Work buffers a solver keeps between calls; they grow on the first call of a size and are reused after. */
final class SolverBuffers {
    float[] eps = new float[0];
    float[] x0 = new float[0];
    float[] x0Prev = new float[0];
    int[] t = new int[0];

    void ensure(int n, int batch, boolean needsDataHistory) {
        if (eps.length < n) eps = new float[n];
        if (needsDataHistory && x0.length < n) {
            x0 = new float[n];
            x0Prev = new float[n];
        }
        if (t.length < batch) t = new int[batch];
    }

    /** Calls the denoiser at timestep ts for every batch item, after applying the constraint. */
    void predict(Denoiser d, float[] x, int ts, float[] cond, int batch, SampleConstraint constraint) {
        constraint.apply(x);
        for (int b = 0; b < batch; b++) t[b] = ts;
        d.predict(x, t, cond, batch, eps);
    }

    static int sampleSize(Denoiser d, float[] x, int batch) {
        int n = batch * d.horizon() * d.inputDim();
        if (x.length < n) throw new IllegalArgumentException("sample buffer holds " + x.length + " floats, need " + n);
        return n;
    }

    static float clip(float v, boolean on) {
        return on ? Math.max(-1f, Math.min(1f, v)) : v;
    }
}
