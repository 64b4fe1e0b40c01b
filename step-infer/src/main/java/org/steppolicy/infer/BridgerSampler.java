package org.steppolicy.infer;

import java.util.Locale;
import org.steppolicy.models.StochasticInterpolant;

/**
 * bridger:K's integrator (docs/bridger.md): K explicit steps of length 1/K from a source sample at t = 0 to the
 * expert end t = 1, the networks evaluated once per step at a time the {@link TimeGrid} picks. With sc = s/γ
 * (d² times the score of x_t) and b = v − γ̇γ·sc (the drift of the interpolant itself):
 * <ul>
 *   <li>{@link Mode#SDE}: Euler–Maruyama of the forward SDE, x += (b + ε·sc)Δt + d·√(2εΔt)·N(0, I), whose
 *       marginals are those of the interpolant;</li>
 *   <li>{@link Mode#ODE}: its probability-flow form, x += b·Δt (no noise drawn);</li>
 *   <li>{@link Mode#REFERENCE}: BRIDGeR's public update as written, b = v − ε·γ̇γ·sc and noise d·√(2ε)·Δt (kept
 *       for parity; the extra ε and the Δt in place of √Δt are its code's, not the SDE's).</li>
 * </ul>
 * Owns its work buffers: one instance per runner, not thread-safe.
 */
public final class BridgerSampler {
    /** The update rule. */
    public enum Mode {
        SDE, ODE, REFERENCE;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Mode parse(String s) {
            for (Mode m : values()) if (m.label().equals(s.trim().toLowerCase(Locale.ROOT))) return m;
            throw new IllegalArgumentException("unknown bridger sampler '" + s + "' (expected sde, ode or reference)");
        }
    }

    /** Where in step [t_k, t_k+1] the networks are evaluated. */
    public enum TimeGrid {
        /** At t_k+1, the right end: BRIDGeR's public sampler. */
        END,
        /** At the midpoint (t_k + t_k+1)/2. */
        MID;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public double time(int k, int steps) {
            return this == END ? (k + 1) / (double) steps : (k + 0.5) / steps;
        }

        public static TimeGrid parse(String s) {
            for (TimeGrid g : values()) if (g.label().equals(s.trim().toLowerCase(Locale.ROOT))) return g;
            throw new IllegalArgumentException("unknown bridger time grid '" + s + "' (expected end or mid)");
        }
    }

    /** The sampler's settings (the config's bridger.sampler and bridger.time_grid). */
    public record Settings(Mode mode, TimeGrid grid) {
        public Settings {
            if (mode == null || grid == null) throw new IllegalArgumentException("bridger sampler settings incomplete");
        }

        /** The consistent forward SDE on BRIDGeR's time grid. */
        public static Settings defaults() {
            return new Settings(Mode.SDE, TimeGrid.END);
        }
    }

    private final StochasticInterpolant interpolant;
    private final Settings settings;
    private float[] v = new float[0], s = new float[0];

    public BridgerSampler(StochasticInterpolant interpolant, Settings settings) {
        this.interpolant = interpolant;
        this.settings = settings;
    }

    public StochasticInterpolant interpolant() { return interpolant; }

    public Settings settings() { return settings; }

    /** Integrates x (the source sample, [batch, n]) in place to t = 1 in {@code steps} steps. */
    public void run(BridgeNetwork net, int steps, float[] x, float[] cond, int batch, GaussianNoise noise) {
        if (steps < 1) throw new IllegalArgumentException("bridger needs at least one step, got " + steps);
        int n = net.horizon() * net.actionDim() * batch;
        if (v.length < n) {
            v = new float[n];
            s = new float[n];
        }
        double dt = 1.0 / steps;
        for (int k = 0; k < steps; k++) {
            double t = StochasticInterpolant.clip(settings.grid().time(k, steps));
            net.predict(x, (float) t, cond, batch, v, s);
            update(x, v, s, n, t, dt, noise);
        }
    }

    /** One step from x with the networks' outputs v, s at time t (already clipped); draws noise except in ODE mode. */
    public void update(float[] x, float[] v, float[] s, int n, double t, double dt, GaussianNoise noise) {
        double gInv = StochasticInterpolant.gammaInv(t);
        double gg = StochasticInterpolant.gammaDot(t) * StochasticInterpolant.gamma(t);
        double eps = StochasticInterpolant.diffusion(t);
        double d = interpolant.noiseScale();
        switch (settings.mode()) {
            case ODE -> {
                for (int i = 0; i < n; i++) {
                    double sc = s[i] * gInv;
                    x[i] = (float) (x[i] + (v[i] - gg * sc) * dt);
                }
            }
            case SDE -> {
                double noiseStd = d * Math.sqrt(2 * eps * dt);
                for (int i = 0; i < n; i++) {
                    double sc = s[i] * gInv;
                    x[i] = (float) (x[i] + (v[i] - gg * sc + eps * sc) * dt + noiseStd * noise.next());
                }
            }
            case REFERENCE -> {
                double noiseStd = d * Math.sqrt(2 * eps) * dt;
                for (int i = 0; i < n; i++) {
                    double sc = s[i] * gInv;
                    x[i] = (float) (x[i] + (v[i] - eps * gg * sc + eps * sc) * dt + noiseStd * noise.next());
                }
            }
        }
    }
}
