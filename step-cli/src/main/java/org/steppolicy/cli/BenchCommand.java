package org.steppolicy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code step bench}: timing commands (train so far). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Timing measurements.",
        subcommands = {BenchTrainCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
