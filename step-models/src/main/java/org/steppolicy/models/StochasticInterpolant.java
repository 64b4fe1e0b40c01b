package org.steppolicy.models;

import java.util.Locale;

/**
 * BRIDGeR's stochastic interpolant between a source chunk x0 and an expert chunk x1 (docs/bridger.md):
 * {@code x_t = α(t)·x0 + β(t)·x1 + γ(t)·z}, {@code z = d·ε}, ε ~ N(0, I), t from 0 (source) to 1 (expert). γ is
 * √(2t(1−t)) and the sampler's diffusion coefficient is ε(t) = 1 − t, the only choices BRIDGeR's configurations use;
 * {@link Shape} picks α and β. Times are clipped to [{@value #T_MIN}, 1 − {@value #T_MIN}] wherever they are used,
 * as BRIDGeR does, so γ never vanishes and 1/γ stays finite.
 *
 * <p>The two regression targets of training: the velocity network learns E[∂tI | x_t] with ∂tI = α̇·x0 + β̇·x1 (the
 * noise-free time derivative), the score network learns −E[z | x_t]; s/γ is then d² times the score of x_t.
 *
 * @param shape      the α/β pair
 * @param noiseScale d, the scale of the latent noise z (BRIDGeR's {@code beta_max}, 0.03 by default)
 */
public record StochasticInterpolant(Shape shape, double noiseScale) {
    public static final double T_MIN = 0.001;
    /** Upper bound on 1/γ, as in BRIDGeR (with the clipped times it never binds for this γ). */
    public static final double GAMMA_INV_MAX = 200;
    /** BRIDGeR's default d (its command line's {@code beta_max}). */
    public static final double DEFAULT_NOISE_SCALE = 0.03;

    public StochasticInterpolant {
        if (shape == null) throw new IllegalArgumentException("interpolant shape is null");
        if (!(noiseScale >= 0) || noiseScale > 10) throw new IllegalArgumentException("noise scale must be in [0, 10], got " + noiseScale);
    }

    /** The α/β pairs of BRIDGeR used here; power3 is its default (every published configuration). */
    public enum Shape {
        /** α = 1 − t, β = t. */
        LINEAR,
        /** α = (1 − t)³, β = 1 − (1 − t)³: moves most of the way early, slow near the expert end. */
        POWER3,
        /** α = (1 − t)⁴, β = 1 − (1 − t)⁴. */
        POWER4;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Shape parse(String s) {
            for (Shape k : values()) if (k.label().equals(s.trim().toLowerCase(Locale.ROOT))) return k;
            throw new IllegalArgumentException("unknown interpolant '" + s + "' (expected linear, power3 or power4)");
        }
    }

    public static double clip(double t) {
        return Math.max(T_MIN, Math.min(1 - T_MIN, t));
    }

    /** Weight of the source, α(t). */
    public double alpha(double t) {
        return switch (shape) {
            case LINEAR -> 1 - t;
            case POWER3 -> Math.pow(1 - t, 3);
            case POWER4 -> Math.pow(1 - t, 4);
        };
    }

    /** Weight of the expert chunk, β(t) = 1 − α(t) for every shape here. */
    public double beta(double t) {
        return 1 - alpha(t);
    }

    public double alphaDot(double t) {
        return switch (shape) {
            case LINEAR -> -1;
            case POWER3 -> -3 * (1 - t) * (1 - t);
            case POWER4 -> -4 * Math.pow(1 - t, 3);
        };
    }

    public double betaDot(double t) {
        return -alphaDot(t);
    }

    /** γ(t) = √(2t(1−t)). */
    public static double gamma(double t) {
        return Math.sqrt(2 * t * (1 - t));
    }

    /** γ̇(t) = (1 − 2t)/√(2t(1−t)), exact (BRIDGeR adds 1e−4 under the root; with clipped t it hardly matters). */
    public static double gammaDot(double t) {
        return (1 - 2 * t) / Math.sqrt(2 * t * (1 - t));
    }

    /** min(1/γ(t), {@value #GAMMA_INV_MAX}). */
    public static double gammaInv(double t) {
        return Math.min(1 / gamma(t), GAMMA_INV_MAX);
    }

    /** The diffusion coefficient of the forward SDE, ε(t) = 1 − t. */
    public static double diffusion(double t) {
        return 1 - t;
    }

    /**
     * One training sample per item: t[i] (clipped here), x0, x1 and unit noise e, each [batch, n]; writes x_t, the
     * velocity target ∂tI = α̇x0 + β̇x1 and the score target −z = −d·e.
     */
    public void sample(float[] x0, float[] x1, float[] e, double[] t, int batch, int n, float[] xt, float[] velocityTarget,
                       float[] scoreTarget) {
        for (int b = 0; b < batch; b++) {
            double tb = clip(t[b]);
            double a = alpha(tb), be = beta(tb), ad = alphaDot(tb), bd = betaDot(tb), g = gamma(tb);
            for (int i = b * n, end = i + n; i < end; i++) {
                double z = noiseScale * e[i];
                xt[i] = (float) (a * x0[i] + be * x1[i] + g * z);
                velocityTarget[i] = (float) (ad * x0[i] + bd * x1[i]);
                scoreTarget[i] = (float) -z;
            }
        }
    }

    public String describe() {
        return shape.label() + ", gamma sqrt(2t(1-t)), d " + noiseScale;
    }
}
