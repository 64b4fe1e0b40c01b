package org.steppolicy.cli;

import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.ConfigLocator;
import org.steppolicy.config.StepConfig;
import org.steppolicy.eval.MethodList;
import org.steppolicy.eval.Quickstart;
import org.steppolicy.eval.QuickstartRequest;
import org.steppolicy.eval.QuickstartTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code step quickstart}: wiring for step-eval's {@link Quickstart}: the shipped policy's table, then a short run's. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Evaluate the shipped policy (models/pusht-lowdim) with every method, then train pusht-small and both predictors "
                + "for the rest of --minutes and evaluate them the same way; both tables on stdout. "
                + "--task image: the same with models/pusht-image and pusht_image-small.")
public final class QuickstartCommand extends StepCommand {
    @Mixin
    ConfigOptions config;

    @Option(names = "--task", paramLabel = "NAME", description = "lowdim (default) or image: picks the config, the shipped folder and "
            + "the default episodes.")
    String task = "lowdim";

    @Option(names = "--minutes", paramLabel = "M", description = "The whole quickstart's budget in minutes (default 20): the shipped "
            + "policy's evaluation, then training (DP 60 %%, each predictor 20 %%) for what is left after keeping the final evaluation's time.")
    double minutes = 20;

    @Option(names = "--episodes", paramLabel = "N", description = "Evaluation episodes per method (default 10; 5 with --task image).")
    Integer episodes;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default runs/quickstart).")
    Path out = Path.of("runs", "quickstart");

    @Option(names = "--shipped", paramLabel = "DIR", description = "The export folder evaluated first (default models/pusht-lowdim, "
            + "or models/pusht-image with --task image, in the project).")
    Path shipped;

    @Option(names = "--force", description = "Start over where --out holds an earlier quickstart.")
    boolean force;

    @Override
    public Integer call() {
        QuickstartTask t = QuickstartTask.parse(task);
        StepConfig base = config.config != null ? config.resolve() : ConfigLoader.load(t.config(), config.overrides);
        Path policy = shipped != null ? shipped : t.shipped(System.getProperty(ConfigLocator.HOME_PROPERTY));
        Quickstart.run(new QuickstartRequest(base, config.data, policy, MethodList.comparison(2), minutes,
                episodes != null ? episodes : t.episodes(), 2, out, force), out(), System.err);
        return 0;
    }
}
