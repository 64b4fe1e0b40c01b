package org.steppolicy.cli;

import java.nio.file.Path;
import org.steppolicy.data.DataInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code step data info FILE}: demos, steps, episode lengths, keys with shape and dtype, masks, env_args. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print what a RoboMimic-layout HDF5 file holds: demos, total steps, episode length "
                + "min/mean/max, every key with its per-step shape and dtype, masks and an env_args summary.")
public class DataInfoCommand extends StepCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "HDF5 file (RoboMimic layout)")
    Path file;

    @Override
    public Integer call() {
        print(DataInfo.report(file));
        return 0;
    }
}
