package org.steppolicy.infer.runtime;

import java.util.Arrays;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.models.ImageObsEncoder;

/**
 * An image DP at inference: the {@link Denoiser} the solvers see takes the flat observation window (pixels
 * included) as its condition, like a low-dim DP; inside, the observation encoder runs once per distinct window and
 * the U-Net runs on its output at every denoising step. The solvers pass the same condition array to every step of
 * one control call, so a call encodes once, as the reference does. Not thread-safe.
 */
final class EncodedDenoiser implements Denoiser {
    private final CompiledNet encoder;
    private final Denoiser unet;
    private final int condDim, featureDim;
    private float[] lastCond = new float[0];
    private float[] features = new float[0];
    private int lastBatch = -1;
    private long encodings;

    EncodedDenoiser(CompiledNet encoder, Denoiser unet) {
        this.encoder = encoder;
        this.unet = unet;
        this.condDim = encoder.perItem(ImageObsEncoder.INPUT);
        this.featureDim = encoder.perItem(ImageObsEncoder.OUTPUT);
        if (unet.condDim() != featureDim)
            throw new IllegalArgumentException("U-Net condition " + unet.condDim() + " differs from the encoder's output " + featureDim);
    }

    @Override public int horizon() { return unet.horizon(); }

    @Override public int inputDim() { return unet.inputDim(); }

    @Override public int condDim() { return condDim; }

    /** Encoder runs so far (one per distinct observation window). */
    long encodings() { return encodings; }

    @Override
    public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
        int n = batch * condDim;
        if (batch != lastBatch || !Arrays.equals(cond, 0, n, lastCond, 0, n)) {
            if (lastCond.length < n) lastCond = new float[n];
            System.arraycopy(cond, 0, lastCond, 0, n);
            if (features.length < batch * featureDim) features = new float[batch * featureDim];
            encoder.input(ImageObsEncoder.INPUT, batch).put(cond, 0, n);
            encoder.run(batch, features);
            lastBatch = batch;
            encodings++;
        }
        unet.predict(x, t, features, batch, out);
    }

    @Override
    public void close() {
        encoder.close();
        unet.close();
    }
}
