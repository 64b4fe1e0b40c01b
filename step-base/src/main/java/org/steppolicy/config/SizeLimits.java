package org.steppolicy.config;

/**
 * Upper bounds of the sizes every config that enters the program may give: a resolved YAML, a checkpoint's
 * meta.json, an export's policy.json, an imported config. They size every buffer and network allocated, so a
 * crafted file with {@code horizon: 1000000000} is refused in one line rather than dying of OutOfMemoryError. Each
 * is far above any policy STEP runs (Push-T: horizon 16, obs dim 20, down dims up to 1024; an image step is a few
 * 10^4 values).
 */
public final class SizeLimits {
    /** horizon, n_obs_steps, n_action_steps. */
    public static final int MAX_STEPS = 4096;
    /** obs_dim, action_dim (an image step counts its pixels). */
    public static final int MAX_DIM = 1 << 22;
    /** Values in one observation window or one chunk (steps x dim). */
    public static final int MAX_VALUES = 1 << 26;
    /** A U-Net's channel widths and embedding sizes. */
    public static final int MAX_CHANNELS = 1 << 14;
    /** A U-Net's levels (down_dims entries). */
    public static final int MAX_LEVELS = 16;
    /** Diffusion timesteps trained with. */
    public static final int MAX_TIMESTEPS = 1_000_000;

    private SizeLimits() {}
}
