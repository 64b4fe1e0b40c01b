package org.steppolicy.cli;

import org.steppolicy.config.UserError;
import org.steppolicy.sim.PushTBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code step sim bench}: env steps per second on one thread. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure simulator speed on one thread: env steps (10 physics sub-steps + reward) per second.")
public final class SimBenchCommand extends StepCommand {
    @Option(names = "--steps", description = "Timed env steps (after a warm-up). Default: 30000.")
    long steps = 30000;

    @Override
    public Integer call() {
        if (steps < 1) throw new UserError("--steps must be >= 1, got " + steps);
        printf("%s%n", PushTBench.run(steps));
        return 0;
    }
}
