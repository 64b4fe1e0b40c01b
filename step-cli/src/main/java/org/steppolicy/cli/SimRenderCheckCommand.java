package org.steppolicy.cli;

import org.steppolicy.config.UserError;
import org.steppolicy.sim.RenderCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code step sim render-check --data IMAGEFILE [--json OUT]}: the renderer against the recorded obs/image. */
@Command(name = "render-check", mixinStandardHelpOptions = true,
        description = "Render every recorded state of an image Push-T file and compare with its obs/image. "
                + "Exit 0 when the bar holds (mean abs error <= 4 levels, >= 98 %% of pixels within 16), 1 otherwise.")
public final class SimRenderCheckCommand implements Callable<Integer> {
    static final String DEFAULT_IMAGE_DATA = "../shared/data/pusht/pusht_cchi_v7_replay_image.hdf5";

    @Option(names = "--data", paramLabel = "IMAGEFILE", description = "Push-T HDF5 with obs/image and obs/state. Default: "
            + DEFAULT_IMAGE_DATA)
    Path data = Path.of(DEFAULT_IMAGE_DATA);

    @Option(names = "--demos", paramLabel = "N", description = "Check only the first N demos (default: all).")
    Integer demos;

    @CommandLine.Mixin
    BarReport report;

    @Override
    public Integer call() {
        if (demos != null && demos < 1) throw new UserError("--demos must be at least 1, got " + demos);
        RenderCheck.Summary s = RenderCheck.run(data, demos == null ? Integer.MAX_VALUE : demos);
        return report.finish(s.report(), s::toJson, s.meetsBar());
    }
}
