package org.steppolicy.cli;

import picocli.CommandLine.Command;

/** {@code step sim}: the Push-T simulator's tools (replay proof, rendering, speed). Wiring only. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Push-T simulator: replay the official demos, render a demo, check the renderer against recorded images, measure speed.",
        subcommands = {SimReplayCommand.class, SimRenderCommand.class, SimRenderCheckCommand.class,
                SimBenchCommand.class})
public final class SimCommand extends CommandGroup {
    /** The official low-dim Push-T file, relative to the repository root. */
    static final String DEFAULT_DATA = "../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5";
}
