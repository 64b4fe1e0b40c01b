package org.steppolicy.infer;

/**
 * The user-configurable defaults every method spec is resolved against (the config file's inference section).
 *
 * @param warmStartSolver solver of the warm-started methods (step, spatial, temporal) unless the spec names one
 * @param clipSample      clip x̂0 to [−1, 1] in every solver; null (the default): as the checkpoint's scheduler says
 *                        (DP's clip_sample = True, §B.3)
 * @param falcon          falcon:K's selection rule and host solver
 * @param bridger         bridger:K's update rule and time grid
 */
public record InferenceSettings(WarmStartConfig warmStart, PerturbationConfig perturbation, ColdStartConfig coldStart,
                                SolverKind warmStartSolver, Boolean clipSample, FalconConfig falcon,
                                BridgerSampler.Settings bridger) {
    public InferenceSettings {
        if (bridger == null) bridger = BridgerSampler.Settings.defaults();
    }

    /** Settings with BRIDGeR's sampler defaults. */
    public InferenceSettings(WarmStartConfig warmStart, PerturbationConfig perturbation, ColdStartConfig coldStart,
                             SolverKind warmStartSolver, Boolean clipSample, FalconConfig falcon) {
        this(warmStart, perturbation, coldStart, warmStartSolver, clipSample, falcon, null);
    }

    /** Settings with Falcon's defaults. */
    public InferenceSettings(WarmStartConfig warmStart, PerturbationConfig perturbation, ColdStartConfig coldStart,
                             SolverKind warmStartSolver, Boolean clipSample) {
        this(warmStart, perturbation, coldStart, warmStartSolver, clipSample, FalconConfig.defaults());
    }

    /** The settings of a config file's {@code inference} section. */
    public static InferenceSettings from(org.steppolicy.config.InferenceConfig c) {
        WarmStartConfig ws = new WarmStartConfig(WarmStartMode.parse(c.warmStartMode()), c.sigma(), c.sigmaT());
        PerturbationConfig p = new PerturbationConfig(c.perturbation(), c.epsA(), c.sigmaScale(), c.sigmaStall());
        ColdStartConfig cold = new ColdStartConfig(SolverKind.parse(c.coldStartSolver()), c.coldStartSteps());
        FalconConfig falcon = new FalconConfig(SolverKind.parse(c.falconSolver()), c.falconEps(), c.falconDelta(),
                c.falconTemperature(), c.falconKMin(), c.falconBuffer(), FalconConfig.Align.parse(c.falconAlign()));
        BridgerSampler.Settings bridger = new BridgerSampler.Settings(BridgerSampler.Mode.parse(c.bridgerSampler()),
                BridgerSampler.TimeGrid.parse(c.bridgerTimeGrid()));
        return new InferenceSettings(ws, p, cold, SolverKind.parse(c.warmStartSolver()), c.clipSample(), falcon, bridger);
    }

    /** Public-code warm start (strided), paper perturbation, full-chain DDPM cold start, DDIM for warm starts, the model's clipping. */
    public static InferenceSettings defaults() {
        return new InferenceSettings(WarmStartConfig.defaults(), PerturbationConfig.paper(), ColdStartConfig.defaults(),
                SolverKind.DDIM, null, FalconConfig.defaults(), BridgerSampler.Settings.defaults());
    }
}
