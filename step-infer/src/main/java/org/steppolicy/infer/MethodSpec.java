package org.steppolicy.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A method as written on the command line: {@code name[:steps][:option...]}, e.g. "ddpm:100", "ddim:2", "step:2",
 * "step:2:fine", "step:4:dpmsolver", "temporal:2:noperturb", "falcon:2", "falcon:4:ddim", "predictor". Options: a
 * solver name (ddpm, ddim, dpmsolver) for the warm-started methods, a warm-start mode (strided, fine), "perturb" /
 * "noperturb", and "tN", the timestep at which a strided warm start enters (e.g. "step:2:t30" runs timesteps 30, 0;
 * "step:2" enters at 50); falcon takes a host solver only (ddim, dpmsolver; default inference.falcon_solver), its K
 * being that solver's step count from noise; "bridger:K" (BRIDGeR's own model, K bridge steps) takes none.
 *
 * <p>The step count is the number of network (U-Net) calls of a call's chain, and so what the label says: for the
 * warm-started methods it is K′, the only place K′ is given (strided: K′ DDIM timesteps, or τ and the K′ − 1 below it;
 * fine: start at step K′, single steps K′ − 1 … 0, so "step:4:fine" makes 4 calls). A chain that would come out
 * shorter than its count is refused when resolved against a schedule ({@link MethodConfig#timesteps}).
 */
public record MethodSpec(String label, Method method, int steps, SolverKind solver, WarmStartMode mode, Boolean perturb,
                         int entryStep) {

    public static MethodSpec parse(String text) {
        String label = text.trim().toLowerCase(Locale.ROOT);
        String[] parts = label.split(":");
        if (label.isEmpty()) throw new IllegalArgumentException("empty method spec");
        Method method = Method.parse(parts[0]);
        int steps = 0;
        int next = 1;
        if (parts.length > 1) {
            try {
                steps = Integer.parseInt(parts[1]);
                next = 2;
            } catch (NumberFormatException e) {
                if (method != Method.PREDICTOR)
                    throw new IllegalArgumentException("method spec '" + text + "': '" + parts[1] + "' is not a step count");
            }
        }
        if (method != Method.PREDICTOR && steps < 1)
            throw new IllegalArgumentException("method spec '" + text + "' needs a positive step count, e.g. " + parts[0] + ":2");
        SolverKind solver = null;
        WarmStartMode mode = null;
        Boolean perturb = null;
        int entry = -1;
        for (int i = next; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("perturb") || p.equals("noperturb")) perturb = p.equals("perturb");
            else if (p.matches("t\\d{1,4}")) entry = Integer.parseInt(p.substring(1));
            else if (p.equals("strided") || p.equals("fine")) mode = WarmStartMode.parse(p);
            else {
                try {
                    solver = SolverKind.parse(p);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("method spec '" + text + "': unknown option '" + p
                            + "' (solver ddpm|ddim|dpmsolver, mode strided|fine, perturb|noperturb, entry timestep tN)");
                }
            }
        }
        boolean warm = method.start() == Method.Start.PREDICTOR || method.start() == Method.Start.PREVIOUS_CHUNK;
        if (method == Method.FALCON) {
            if (mode != null || perturb != null || entry >= 0)
                throw new IllegalArgumentException("method spec '" + text + "': falcon takes only a host solver (ddim or dpmsolver)");
            if (solver != null) {
                try {
                    FalconConfig.checkSolver(solver);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("method spec '" + text + "': " + e.getMessage());
                }
            }
        } else if (method == Method.BRIDGER) {
            if (next < parts.length)
                throw new IllegalArgumentException("method spec '" + text + "': bridger takes no options (its sampler is inference.bridger_sampler)");
        } else if (!warm && (solver != null || mode != null || perturb != null || entry >= 0))
            throw new IllegalArgumentException("method spec '" + text + "': options apply to step, spatial, temporal and falcon only");
        if (entry >= 0 && mode == WarmStartMode.FINE)
            throw new IllegalArgumentException("method spec '" + text + "': an entry timestep applies to the strided warm start, not fine");
        return new MethodSpec(label, method, steps, solver, mode, perturb, entry);
    }

    /** A comma-separated list, e.g. "ddpm:100,ddim:2,step:2". */
    public static List<MethodSpec> parseList(String csv) {
        List<MethodSpec> out = new ArrayList<>();
        for (String s : csv.split(",")) if (!s.isBlank()) out.add(parse(s));
        if (out.isEmpty()) throw new IllegalArgumentException("no methods given");
        return out;
    }

    /** Resolves against the configured defaults. */
    public MethodConfig config(InferenceSettings s) {
        SolverKind kind = switch (method.start()) {
            case NOISE -> method.ownSolver();
            case PARTIAL_LATENT -> solver != null ? solver : s.falcon().solver();
            default -> solver != null ? solver : s.warmStartSolver();
        };
        WarmStartConfig ws = mode != null ? s.warmStart().withMode(mode) : s.warmStart();
        if (entryStep >= 0) {
            if (ws.mode() != WarmStartMode.STRIDED)
                throw new IllegalArgumentException("method " + label + ": an entry timestep applies to the strided warm start (inference.warm_start_mode is " + ws.mode() + ")");
            ws = ws.withEntryStep(entryStep);
        }
        boolean perturbOn = perturb != null ? perturb : (method == Method.STEP && s.perturbation().enabled());
        return new MethodConfig(label, method, steps, kind, ws, s.perturbation().withEnabled(perturbOn), s.coldStart(),
                s.clipSample(), s.falcon(), s.bridger());
    }

    public MethodConfig config() {
        return config(InferenceSettings.defaults());
    }
}
