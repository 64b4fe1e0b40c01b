package org.steppolicy.infer;

/** Chooses (σ, σ_t) for the next warm start from the action cache (docs/reference/step-method.md item 4, Eq. 14). */
public final class VelocityPerturbation {
    private final PerturbationConfig config;
    private final double normalSigma, normalSigmaT;
    private double sigma, sigmaT;
    private boolean stalled;
    private double lastNorm = Double.NaN;

    public VelocityPerturbation(PerturbationConfig config, WarmStartConfig warmStart) {
        this.config = config;
        this.normalSigma = warmStart.sigma();
        this.normalSigmaT = warmStart.sigmaT();
    }

    /** Decides the pair for this call; a stall needs two cached chunks whose difference has L2 norm below ε_a. */
    public void update(ActionCache cache) {
        stalled = false;
        lastNorm = Double.NaN;
        if (config.enabled() && cache.size() >= 2) {
            float[] a = cache.latest(), b = cache.previous();
            double sq = 0;
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                sq += d * d;
            }
            lastNorm = Math.sqrt(sq);
            stalled = lastNorm < config.epsA();
        }
        sigma = stalled ? config.sigmaScale() : normalSigma;
        sigmaT = stalled ? config.sigmaStall() : normalSigmaT;
    }

    public double sigma() { return sigma; }

    public double sigmaT() { return sigmaT; }

    public boolean stalled() { return stalled; }

    /** ‖ΔA‖ of the last update, NaN when not computed. */
    public double lastNorm() { return lastNorm; }
}
