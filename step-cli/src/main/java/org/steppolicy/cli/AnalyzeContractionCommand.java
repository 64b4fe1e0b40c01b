package org.steppolicy.cli;

import java.nio.file.Path;
import org.steppolicy.eval.ContractionRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code step analyze contraction}: options to a {@link ContractionRun.Request}, the table to stdout. */
@Command(name = "contraction", mixinStandardHelpOptions = true,
        description = "For held-out windows, start the reverse process from the STEP predictor's estimate, the shifted previous "
                + "chunk, the spatial predictor's estimate and pure noise; record each step's distance to the DDPM-100 sample "
                + "drawn with the same noise, and the contraction factor between two nearby starts. Writes contraction.md, "
                + "contraction.json and contraction.png.")
public final class AnalyzeContractionCommand extends StepCommand {
    @Mixin
    ConfiguredPolicyOptions run;

    @Option(names = "--windows", paramLabel = "N", description = "Held-out windows, spread over the validation demos. Default: 64.")
    int windows = 64;

    @Option(names = "--entry", paramLabel = "T", description = "Timestep at which the warm starts enter (STEP-2 strided: 50). Default: 50.")
    int entry = 50;

    @Option(names = "--delta", paramLabel = "D", description = "Size of the start perturbation for the contraction factor. Default: 0.05.")
    double delta = 0.05;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the common noise. Default: 0.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: runs/contraction.")
    Path out = Path.of("runs/contraction");

    @Option(names = "--force", description = "Replace an analysis that is in --out.")
    boolean force;

    @Override
    public Integer call() {
        ContractionRun.run(new ContractionRun.Request(run.config.resolve(), run.source.required(""), run.source.predictors, windows, entry, delta, seed, out, force),
                out());
        return 0;
    }
}
