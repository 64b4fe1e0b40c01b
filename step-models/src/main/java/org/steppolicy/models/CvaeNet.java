package org.steppolicy.models;

import java.util.List;

/**
 * The CVAE's training graph: inputs {@value #ACTION} [B, horizon, Da] (the demonstrated chunk),
 * {@code global_cond} [B, To·Do] and {@value #LATENT_NOISE} [B, latent] (unit normal draws, fed so that a step is a
 * pure function of (seed, step)); z = μ + exp(½ log σ²)·noise. Outputs {@value #RECON} [B, horizon, Da] (the
 * declared output), {@value #MEAN} and {@value #LOG_VAR} [B, latent] for the KL term the trainer adds.
 */
public final class CvaeNet implements NetworkDefinition {
    public static final String ACTION = "action", LATENT_NOISE = "latent_noise";
    public static final String RECON = "cvae_recon", MEAN = "cvae_mean", LOG_VAR = "cvae_log_var";

    private final CvaeArch arch;

    CvaeNet(CvaeArch arch) {
        this.arch = arch;
    }

    public CvaeArch arch() { return arch; }

    @Override
    public <T> void define(NetBuilder<T> b) {
        int L = arch.latentDim();
        T action = b.input(ACTION, -1, arch.horizon(), arch.actionDim());
        T cond = b.input(ConditionalUnet1d.GLOBAL_COND, -1, arch.condDim());
        T noise = b.input(LATENT_NOISE, -1, L);
        T in = b.concat(1, List.of(b.reshape(action, -1, arch.chunk()), cond));
        T stats = arch.mlp(b, CvaeArch.ENCODER, in, arch.chunk() + arch.condDim(), 2 * L);
        T mean = b.slice(stats, 1, 0, L), logVar = b.slice(stats, 1, L, 2 * L);
        T z = b.add(mean, b.mul(b.exp(b.scale(logVar, 0.5)), noise));
        b.output(RECON, arch.decode(b, z, cond));
        b.output(MEAN, mean);
        b.output(LOG_VAR, logVar);
    }

    @Override
    public List<String> inputNames() {
        return List.of(ACTION, ConditionalUnet1d.GLOBAL_COND, LATENT_NOISE);
    }

    @Override
    public String outputName() { return RECON; }
}
