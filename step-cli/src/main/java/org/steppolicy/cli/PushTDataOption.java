package org.steppolicy.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data FILE}: the low-dim Push-T demonstrations the sim commands replay or render (default: the shared file). */
public final class PushTDataOption {
    @Option(names = "--data", paramLabel = "FILE", description = "Push-T HDF5 (RoboMimic layout). Default: " + SimCommand.DEFAULT_DATA)
    Path data = Path.of(SimCommand.DEFAULT_DATA);
}
