package org.steppolicy.models;

import java.util.List;
import java.util.Map;

/**
 * The CVAE source policy of BRIDGeR (docs/bridger.md): an MLP encoder q(z | cond, chunk) and an MLP decoder
 * p(chunk | cond, z), both with the hidden widths {@code hidden}, over the flat normalised action chunk
 * [horizon·actionDim] and the flat observation window [condDim]. Only the decoder is needed to sample.
 */
public record CvaeArch(int latentDim, List<Integer> hidden, int horizon, int actionDim, int condDim) {
    public static final String LATENT_DIM = "cvae_latent_dim", HIDDEN = "cvae_hidden";
    /** Parameter prefixes: the decoder's are shared by the training graph and {@link CvaeDecoderNet}. */
    public static final String ENCODER = "encoder.", DECODER = "decoder.";

    public CvaeArch {
        // ND4J M2.1's training graph fails on the KL's sum over a latent axis of size 1 (measured): 2 is the least.
        if (latentDim < 2) throw new IllegalArgumentException("CVAE latent dim must be >= 2, got " + latentDim);
        if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1))
            throw new IllegalArgumentException("CVAE hidden sizes must be a non-empty list of positive widths, got " + hidden);
        hidden = List.copyOf(hidden);
    }

    /** Elements of one flat action chunk. */
    public int chunk() { return horizon * actionDim; }

    /** The training graph (encoder, reparameterisation, decoder). */
    public CvaeNet trainingNet() { return new CvaeNet(this); }

    /** The decoder alone: what a cvae-source BRIDGeR samples its start from. */
    public CvaeDecoderNet decoder() { return new CvaeDecoderNet(this); }

    /** Adds this CVAE's keys to a meta.json arch map (the shapes come from the policy's own keys). */
    public void putArch(Map<String, Object> a) {
        a.put(LATENT_DIM, latentDim);
        a.put(HIDDEN, hidden);
    }

    public static CvaeArch fromArch(Map<String, Object> a, int horizon, int actionDim, int condDim) {
        return new CvaeArch(ArchMap.integer(a, LATENT_DIM), ArchMap.integers(a, HIDDEN), horizon, actionDim, condDim);
    }

    /** The decoder's body on any builder: concat(z, cond) through the MLP to [B, horizon, actionDim]. */
    <T> T decode(NetBuilder<T> b, T z, T cond) {
        T in = b.concat(1, List.of(z, cond));
        return b.reshape(mlp(b, DECODER, in, latentDim + condDim, chunk()), -1, horizon, actionDim);
    }

    /** ReLU MLP with PyTorch-default Linear init; the last layer is linear. */
    <T> T mlp(NetBuilder<T> b, String prefix, T x, int in, int out) {
        int width = in;
        for (int i = 0; i < hidden.size(); i++) {
            x = b.relu(Layers.linear(b, prefix + "l" + i, x, width, hidden.get(i)));
            width = hidden.get(i);
        }
        return Layers.linear(b, prefix + "out", x, width, out);
    }
}
