package org.steppolicy.cli;

import org.steppolicy.config.UserError;
import org.steppolicy.sim.DemoRender;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code step sim render --data FILE --demo N --out X.gif}: a recorded demo as an animated GIF. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render a demo to an animated GIF: its actions replayed in the simulator (default) or its recorded states.")
public final class SimRenderCommand extends StepCommand {
    @CommandLine.Mixin
    PushTDataOption data;

    @Option(names = "--demo", paramLabel = "N", required = true, description = "Demo index (data/demo_N).")
    int demo;

    @Option(names = "--out", paramLabel = "X.gif", required = true, description = "Output GIF.")
    Path out;

    @Option(names = "--size", paramLabel = "PX", description = "Frame size in pixels (512 native, 96 policy images). Default: 512.")
    int size = 512;

    @Option(names = "--fps", description = "Frames per second. Default: 10 (the control rate).")
    int fps = 10;

    @Option(names = "--recorded", description = "Draw the recorded states instead of replaying the actions.")
    boolean recorded;

    @CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        if (size < 8 || size > 4096) throw new UserError("--size must be in 8..4096, got " + size);
        if (fps < 1 || fps > 100) throw new UserError("--fps must be in 1..100, got " + fps);
        int frames = DemoRender.toGif(data.data, demo, out, size, recorded, fps);
        printf("wrote %s: demo %d, %d frames at %d fps, %dx%d (%s)%n", out, demo, frames, fps, size, size,
                recorded ? "recorded states" : "replayed in the simulator");
        return 0;
    }
}
