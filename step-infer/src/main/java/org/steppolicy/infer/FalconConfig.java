package org.steppolicy.infer;

import java.util.Locale;

/**
 * The falcon:K selection rule (docs/falcon.md); each field is the config key {@code inference.falcon_*} of the same
 * name, documented in step-base's defaults.yaml.
 *
 * @param solver      host solver when the spec names none (ddim or dpmsolver; falcon:2:ddim overrides it)
 * @param eps         a stored latent passes when the L2 norm (normalised action units) between its one-step clean
 *                    estimate under the current observation, indices 0..H−Ta−1, and the previous chunk's unexecuted
 *                    tail, indices Ta..H−1, is below eps
 * @param delta       probability that a call starts from noise even when a latent would pass (exploration)
 * @param temperature the passing latents are drawn with probability ∝ exp(−(t/T)/temperature), t its timestep and T
 *                    the model's diffusion steps: lower noise is favoured, more strongly at low temperature
 * @param kMin        latents stored at a timestep t &lt; kMin are never reused (they would repeat the old chunk)
 * @param buffer      latents kept per episode; past it the oldest call's latents go first, within a call the noisiest
 * @param align       SHIFT: a stored latent advances by Ta like the chunk it belongs to (tail re-noised); NONE: as is
 */
public record FalconConfig(SolverKind solver, double eps, double delta, double temperature, int kMin, int buffer,
                           Align align) {
    /** How a latent of the previous call is laid over the current call's chunk. */
    public enum Align {
        SHIFT, NONE;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Align parse(String s) {
            for (Align a : values()) if (a.label().equals(s.toLowerCase(Locale.ROOT))) return a;
            throw new IllegalArgumentException("unknown falcon align '" + s + "' (expected shift or none)");
        }
    }

    public FalconConfig {
        checkSolver(solver);
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException("falcon eps must be a number > 0, got " + eps);
        if (!(delta >= 0 && delta <= 1)) throw new IllegalArgumentException("falcon delta must be in [0, 1], got " + delta);
        if (!(temperature > 0) || !Double.isFinite(temperature))
            throw new IllegalArgumentException("falcon temperature must be a number > 0, got " + temperature);
        if (kMin < 0) throw new IllegalArgumentException("falcon k_min must be >= 0, got " + kMin);
        if (buffer < 1) throw new IllegalArgumentException("falcon buffer must be >= 1, got " + buffer);
        if (align == null) throw new IllegalArgumentException("falcon align is missing");
    }

    /** Falcon runs on a deterministic host solver: DDIM or DPM-Solver++. */
    static SolverKind checkSolver(SolverKind s) {
        if (s != SolverKind.DDIM && s != SolverKind.DPMSOLVER)
            throw new IllegalArgumentException("falcon's host solver must be ddim or dpmsolver, got " + (s == null ? "none" : s.label()));
        return s;
    }

    public FalconConfig withSolver(SolverKind s) { return new FalconConfig(s, eps, delta, temperature, kMin, buffer, align); }

    /** This project's defaults (docs/falcon.md says why each was chosen; the paper's per-task values were not reachable). */
    public static FalconConfig defaults() {
        return new FalconConfig(SolverKind.DPMSOLVER, 0.3, 0.1, 0.1, 10, 16, Align.SHIFT);
    }
}
