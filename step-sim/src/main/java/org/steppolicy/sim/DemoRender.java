package org.steppolicy.sim;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The logic of {@code step sim render}: one recorded demo as an animated GIF. */
public final class DemoRender {
    private DemoRender() {}

    /**
     * Renders demo {@code index} of a Push-T HDF5. With {@code recorded} false (the default of the command) the
     * demo's actions are replayed in the simulator from the legacy reset of its seed; with true, the recorded
     * states are drawn as they are. Returns the number of frames written.
     */
    public static int toGif(Path data, int index, Path out, int size, boolean recorded, int fps) {
        PushTDemos.Demo demo = PushTDemos.load(data, index);
        List<BufferedImage> frames = frames(demo, size, recorded);
        GifWriter.write(frames, out, fps);
        return frames.size();
    }

    /** One frame per recorded step (the state observed before action k, with action k-1 marked). */
    public static List<BufferedImage> frames(PushTDemos.Demo demo, int size, boolean recorded) {
        List<BufferedImage> frames = new ArrayList<>();
        double[][] states = demo.states(), actions = demo.actions();
        if (recorded) {
            for (int k = 0; k < states.length; k++) {
                frames.add(PushTRenderer.render(FrameState.ofState(states[k], k > 0 ? actions[k - 1] : null), size));
            }
            return frames;
        }
        PushTEnv env = new PushTEnv();
        env.reset(demo.seed());
        frames.add(PushTRenderer.render(FrameState.of(env), size));
        for (int k = 0; k + 1 < states.length; k++) {
            env.step(actions[k]);
            frames.add(PushTRenderer.render(FrameState.of(env), size));
        }
        return frames;
    }
}
