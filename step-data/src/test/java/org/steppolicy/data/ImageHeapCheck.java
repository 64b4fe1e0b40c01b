package org.steppolicy.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM with a small heap by {@link PushTOfficialDataTest}: loads an image HDF5 file's low-dim keys and
 * streams every frame of every demo, 16 frames at a time. Prints "frames N" and exits 0 when it fits.
 */
public final class ImageHeapCheck {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        DemoDataset low = DemoDataset.load(file, List.of("keypoint", "agent_pos"));
        long frames = 0;
        try (DemoFile f = DemoFile.open(file)) {
            int frameBytes = 1;
            for (int d : f.frameShape("demo_0", "image")) frameBytes *= d;
            for (int e = 0; e < low.size(); e++) {
                String demo = low.episode(e).name();
                int n = low.episode(e).length();
                for (int from = 0; from < n; from += 16) {
                    frames += f.readFrames(demo, "image", from, Math.min(n, from + 16)).length / frameBytes;
                }
            }
        }
        System.out.println("frames " + frames);
    }
}
