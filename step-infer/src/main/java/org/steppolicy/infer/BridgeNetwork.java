package org.steppolicy.infer;

/**
 * BRIDGeR's two trained fields behind one runtime (docs/bridger.md): for a chunk x [batch, horizon, actionDim]
 * (normalised, row-major) at interpolant time t with the observation window cond [batch, condDim], the velocity
 * E[∂tI | x_t] and the score network's output −E[z | x_t], both [batch, horizon, actionDim]. Implementations reuse
 * their buffers; one instance per runner.
 */
public interface BridgeNetwork extends AutoCloseable {
    int horizon();

    int actionDim();

    int condDim();

    void predict(float[] x, float t, float[] cond, int batch, float[] velocity, float[] score);

    @Override
    default void close() {}
}
