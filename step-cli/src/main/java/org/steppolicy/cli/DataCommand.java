package org.steppolicy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code step data}: look into and convert demonstration files. Wiring only; the logic lives in step-data. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Inspect and convert demonstration files (RoboMimic-layout HDF5, DP's Push-T zarr).",
        subcommands = {DataInfoCommand.class, DataConvertZarrCommand.class})
public class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: info or convert-zarr");
    }
}
