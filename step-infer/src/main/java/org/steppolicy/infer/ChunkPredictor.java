package org.steppolicy.infer;

/** The STEP / spatial warm-start predictor. obs: [batch, To*Do] normalised; prev: [batch, horizon*Da] normalised
 *  (ignored by kind=spatial); out: [batch, horizon*Da] normalised. */
public interface ChunkPredictor extends AutoCloseable {
    int horizon();

    int actionDim();

    boolean usesPreviousChunk();

    void predict(float[] obs, float[] prev, int batch, float[] out);

    @Override
    default void close() {}
}
