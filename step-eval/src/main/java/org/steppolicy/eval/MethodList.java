package org.steppolicy.eval;

import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.MethodSpec;

/** Method-spec lists as users write them ("ddpm:100,ddim:2,step:2"), and the paper's comparison at one step count. */
public final class MethodList {
    /** Diffusion Policy's own sampler, the baseline every comparison keeps beside the few-step methods. */
    public static final String DDPM_100 = "ddpm:100";

    private MethodList() {}

    /** A comma-separated list; a bad entry is a one-line {@link UserError}. */
    public static List<MethodSpec> parse(String csv) { return parse(csv, "--methods"); }

    /** As {@link #parse(String)}, the error naming {@code option}. */
    public static List<MethodSpec> parse(String csv, String option) {
        try {
            return MethodSpec.parseList(csv);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }

    /**
     * STEP beside its warm-start and solver baselines at {@code steps} steps, and DDPM-100: ddpm:100, ddim:N,
     * dpmsolver:N, spatial:N, bridger:N, temporal:N, falcon:N, step:N, predictor (the paper's table: DDPM, DDIM, DPM-Solver++,
     * BRIDGeR, Falcon, STEP).
     */
    public static List<MethodSpec> comparison(int steps) {
        if (steps < 1) throw new UserError("--steps must be at least 1, got " + steps);
        List<String> m = new ArrayList<>(List.of(DDPM_100));
        // bridger:N is left out with one line (EvalSources) where no BRIDGeR model is found
        for (String k : List.of("ddim", "dpmsolver", "spatial", "bridger", "temporal", "falcon", "step")) m.add(k + ":" + steps);
        m.add("predictor");
        return parse(String.join(",", m));
    }
}
