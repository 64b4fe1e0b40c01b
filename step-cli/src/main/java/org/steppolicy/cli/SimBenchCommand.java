package org.steppolicy.cli;

import org.steppolicy.config.UserError;
import org.steppolicy.sim.PushTBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code step sim bench}: env steps per second on one thread. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure simulator speed on one thread: env steps (10 physics sub-steps + reward) per second.")
public final class SimBenchCommand implements Callable<Integer> {
    @Option(names = "--steps", description = "Timed env steps (after a warm-up). Default: 30000.")
    long steps = 30000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (steps < 1) throw new UserError("--steps must be >= 1, got " + steps);
        spec.commandLine().getOut().println(PushTBench.run(steps));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
