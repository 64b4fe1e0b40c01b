package org.steppolicy.sim;

import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderTest {
    private static int rgb(int r, int g, int b) { return (r << 16) | (g << 8) | b; }

    @Test
    void framesHaveTheReferenceColours() {
        // Block far from the goal at the top-left, agent at the bottom-right.
        FrameState f = new FrameState(400, 420, 120, 80, 0, null);
        BufferedImage img = PushTRenderer.render(f, 512);
        assertEquals(512, img.getWidth());
        assertEquals(rgb(255, 255, 255), img.getRGB(450, 150) & 0xFFFFFF, "background");
        assertEquals(rgb(144, 238, 144), img.getRGB(256, 272) & 0xFFFFFF, "goal (LightGreen) near its origin");
        assertEquals(rgb(142, 163, 183), img.getRGB(120, 95) & 0xFFFFFF, "block fill inside the bar");
        assertEquals(rgb(119, 136, 153), img.getRGB(120, 80) & 0xFFFFFF, "block edge (LightSlateGray)");
        assertEquals(rgb(78, 126, 255), img.getRGB(400, 420) & 0xFFFFFF, "agent core");
        assertEquals(rgb(65, 105, 225), img.getRGB(400 + 13, 420) & 0xFFFFFF, "agent rim (RoyalBlue)");
        BufferedImage small = PushTRenderer.render(f, 96);
        assertEquals(96, small.getHeight());
        assertEquals(rgb(255, 255, 255), small.getRGB(85, 20) & 0xFFFFFF);
    }

    @Test
    void actionIsMarkedWithARedCross() {
        BufferedImage img = PushTRenderer.render(new FrameState(400, 420, 120, 80, 0, new double[] {256, 400}), 96);
        assertEquals(rgb(255, 0, 0), img.getRGB(48, 75) & 0xFFFFFF);
        assertEquals(rgb(255, 0, 0), img.getRGB(52, 75) & 0xFFFFFF);
        assertEquals(rgb(255, 0, 0), img.getRGB(48, 71) & 0xFFFFFF);
    }

    /** The 96² render of a recorded state against the dataset's own image of it: the look matches to a few levels. */
    @Test
    void matchesTheDatasetImages() {
        Path file = TestData.require(TestData.IMAGE);
        try (HdfFile hdf = new HdfFile(file)) {
            for (int demo : new int[] {0, 57}) {
                int[][][][] images = (int[][][][]) hdf.getDatasetByPath("data/demo_" + demo + "/obs/image").getData();
                float[][] states = (float[][]) hdf.getDatasetByPath("data/demo_" + demo + "/obs/state").getData();
                for (int k : new int[] {0, 30}) {
                    double[] s = new double[5];
                    for (int i = 0; i < 5; i++) s[i] = states[k][i];
                    byte[] mine = PushTRenderer.rgbBytes(PushTRenderer.render(FrameState.ofState(s, null), 96));
                    double sum = 0;
                    for (int y = 0; y < 96; y++) {
                        for (int x = 0; x < 96; x++) {
                            for (int c = 0; c < 3; c++) sum += Math.abs((mine[(y * 96 + x) * 3 + c] & 255) - images[k][y][x][c]);
                        }
                    }
                    double mean = sum / (96 * 96 * 3);
                    assertTrue(mean < 2.0, "demo " + demo + " step " + k + ": mean abs difference " + mean);
                }
            }
        }
    }

    @Test
    void writesALoopingGifOfADemo(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("demo.hdf5");
        DemoFiles.write(data, new long[] {7}, 12, true);
        Path gif = dir.resolve("out/demo0.gif");
        int frames = DemoRender.toGif(data, 0, gif, 96, false, 10);
        assertEquals(12, frames);
        assertTrue(Files.size(gif) > 1000);
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(12, reader.getNumImages(true));
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
            assertEquals("10", gce.getAttribute("delayTime"), "10 fps = 10 centiseconds per frame");
            IIOMetadataNode app = (IIOMetadataNode) root.getElementsByTagName("ApplicationExtension").item(0);
            assertEquals("NETSCAPE", app.getAttribute("applicationID"));
            BufferedImage first = reader.read(0);
            assertEquals(96, first.getWidth());
        }
        // Replayed in the simulator and drawn from the records: the same frames up to float32 rounding.
        PushTDemos.Demo demo = PushTDemos.load(data, 0);
        BufferedImage sim = DemoRender.frames(demo, 512, false).get(11);
        BufferedImage rec = DemoRender.frames(demo, 512, true).get(11);
        int differing = 0;
        for (int y = 0; y < 512; y++) for (int x = 0; x < 512; x++) if (sim.getRGB(x, y) != rec.getRGB(x, y)) differing++;
        assertTrue(differing < 50, differing + " pixels differ");
    }
}
