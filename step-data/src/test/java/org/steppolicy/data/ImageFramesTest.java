package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ImageFramesTest {
    static final Path IMAGES = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_image.hdf5");

    @Test
    void cropIsChannelsFirstAndScaled() {
        int h = 4, w = 5, c = 3;
        byte[] frame = new byte[h * w * c];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < c; k++) frame[(y * w + x) * c + k] = (byte) (100 * k + 10 * y + x);
        float[] out = new float[c * 2 * 3 + 1];
        ImageCrop.toChw(frame, 0, h, w, c, 1, 2, 2, 3, out, 1);
        // channel 2, row 1 of the crop (frame row 2), column 0 (frame column 2): 200 + 20 + 2
        assertEquals(222 / 255f, out[1 + 2 * 6 + 1 * 3 + 0], 0f);
        assertEquals((0 + 10 + 2) / 255f, out[1], 0f);
        assertEquals(0f, out[0], 0f, "nothing written before the offset");
        assertEquals(6, ImageCrop.centre(96, 84));
        assertEquals(0, ImageCrop.centre(84, 84));
        assertThrows(IllegalArgumentException.class, () -> ImageCrop.toChw(frame, 0, h, w, c, 3, 0, 2, 2, out, 0));
        // bytes above 127 are unsigned levels
        byte[] white = {(byte) 255, (byte) 200, (byte) 128};
        float[] px = new float[3];
        ImageCrop.toChw(white, 0, 1, 1, 3, 0, 0, 1, 1, px, 0);
        assertArrayEquals(new float[] {1f, 200 / 255f, 128 / 255f}, px, 0f);
    }

    @Test
    void framesEqualTheFilesAndStayBoundedByTheCache() {
        Assumptions.assumeTrue(Files.exists(IMAGES), "skipped: " + IMAGES + " not present");
        List<String> demos = List.of("demo_0", "demo_1", "demo_2");
        byte[] direct;
        int n0;
        try (DemoFile f = DemoFile.open(IMAGES)) {
            n0 = f.readRows(f.actionsDataset("demo_1")).length;
            direct = f.readFrames("demo_1", "image", 0, n0);
        }
        long episodeBytes = (long) n0 * 96 * 96 * 3;
        try (ImageFrames frames = ImageFrames.open(IMAGES, "image", demos, episodeBytes + 1)) {
            assertEquals(96, frames.height());
            assertEquals(96, frames.width());
            assertEquals(3, frames.channels());
            assertEquals(n0, frames.length(1));
            byte[] e1 = frames.episodeFrames(1);
            assertTrue(Arrays.equals(direct, e1));
            assertEquals(0, frames.offset(1, -3), "before the start: the first frame");
            assertEquals((n0 - 1) * 96 * 96 * 3, frames.offset(1, n0 + 5), "past the end: the last frame");
            assertEquals(1, frames.decodedEpisodes());
            frames.episodeFrames(1);
            assertEquals(1, frames.decodedEpisodes(), "a cached episode is not decoded again");
            frames.episodeFrames(0);
            frames.episodeFrames(2);
            assertTrue(frames.cachedBytes() <= Math.max(episodeBytes + 1, (long) frames.length(2) * 96 * 96 * 3),
                    "cache holds " + frames.cachedBytes() + " B against a bound of about one episode");
            frames.episodeFrames(1);
            assertEquals(4, frames.decodedEpisodes(), "evicted episodes are decoded again");
        }
    }
}
