package org.steppolicy.infer;

/** The epsilon-prediction network behind one runtime. x: [batch, horizon, inputDim] row-major; t: one timestep per batch item;
 *  cond: [batch, condDim] (normalised obs window, To*Do, flattened time-major), ignored when condDim()==0 (inpainting).
 *  Writes epsilon into out [batch, horizon, inputDim]. Implementations reuse their buffers: no allocation per call. */
public interface Denoiser extends AutoCloseable {
    int horizon();

    int inputDim();

    int condDim();

    void predict(float[] x, int[] t, float[] cond, int batch, float[] out);

    @Override
    default void close() {}
}
