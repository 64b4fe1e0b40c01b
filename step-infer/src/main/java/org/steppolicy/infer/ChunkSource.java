package org.steppolicy.infer;

/**
 * BRIDGeR's source policy at sampling time (docs/bridger.md): the start x0 of bridger:K, a normalised action chunk
 * [batch, horizon, actionDim] for the observation windows cond [batch, condDim], its randomness drawn from the
 * sampler's noise stream. One instance per runner (implementations reuse buffers).
 */
public interface ChunkSource extends AutoCloseable {
    /** bridger.source's name: gaussian or cvae. */
    String name();

    void sample(float[] cond, int batch, GaussianNoise noise, float[] x0);

    @Override
    default void close() {}

    /** x0 ~ N(0, I): the draws bridger:K always took before there were other sources. */
    ChunkSource GAUSSIAN = new ChunkSource() {
        @Override public String name() { return "gaussian"; }

        @Override public void sample(float[] cond, int batch, GaussianNoise noise, float[] x0) {
            noise.fill(x0, 0, x0.length);
        }
    };
}
