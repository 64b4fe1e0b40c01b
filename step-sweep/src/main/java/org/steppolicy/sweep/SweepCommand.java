package org.steppolicy.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.steppolicy.cli.ConfigOptions;
import org.steppolicy.cli.StepCommand;
import org.steppolicy.config.StepConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code step sweep}: wiring for {@link Sweep}: options to a {@link SweepRequest}, the table to stdout. */
@Command(name = "step sweep", mixinStandardHelpOptions = true, version = "step 0.1.0",
        description = "Evaluate a grid of policies x methods (with inference overrides) x seed blocks on Apache Spark: "
                + "every cell x seed block is a task; local mode by default (docs/sweep.md).")
public final class SweepCommand extends StepCommand {
    @Mixin
    ConfigOptions config;

    @Option(names = "--grid", required = true, paramLabel = "FILE", description = "The grid (YAML): policies, methods, seeds (docs/sweep.md).")
    Path grid;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[*] (default, unless spark-submit set one), "
            + "local[N], spark://HOST:7077, yarn.")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "Spark partitions. Default: one per cell and seed block.")
    int partitions;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: runs/sweep-<task>.")
    Path out;

    @Option(names = "--force", description = "Replace a sweep that is in --out.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter o = out();
        StepConfig c = config.resolve();
        SweepRequest r = SweepRequest.of(c, SweepGrid.read(grid), out != null ? out : Path.of("runs", "sweep-" + c.task().name()))
                .withMaster(master).withPartitions(partitions).withForce(force);
        SweepSummary s = Sweep.run(r, o, System.err);
        o.println();
        o.print(s.table());
        o.printf(Locale.ROOT, "%d cells, %d episodes on %s in %.1f s%n", s.cells().size(), s.episodes().size(), s.master(), s.wallSeconds());
        o.println("wrote " + s.out());
        return 0;
    }

    /** {@code ./step sweep ...} (the launcher) and spark-submit's main class: the step CLI's exit codes and error lines. */
    public static void main(String[] args) {
        System.exit(org.steppolicy.cli.StepCli.run(new SweepCommand(), args));
    }
}
