package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDatasetTest {
    @TempDir Path dir;

    private static final List<String> KEYS = List.of("robot0_eef_pos", "object");

    @Test
    void loadsDemosInNumericOrderWithKeysConcatenatedInConfigOrder() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.lengths = new int[] {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}; // demo_10 sorts before demo_2 as a string
        Path file = fx.write(dir.resolve("f.hdf5"));
        DemoDataset ds = DemoDataset.load(file, KEYS);
        assertEquals(11, ds.size());
        for (int i = 0; i < 11; i++) {
            Episode e = ds.episode(i);
            assertEquals("demo_" + i, e.name());
            assertEquals(fx.lengths[i], e.length());
            assertEquals(100 + i, e.seed().getAsLong());
            assertEquals(7, e.obsDim());
            assertEquals(7, e.actionDim());
            for (int t = 0; t < e.length(); t++) {
                // robot0_eef_pos is fixture key 1, object is key 0
                for (int j = 0; j < 3; j++) assertEquals(RobomimicFixture.obsValue(i, 1, t, j), e.obs()[t][j]);
                for (int j = 0; j < 4; j++) assertEquals(RobomimicFixture.obsValue(i, 0, t, j), e.obs()[t][3 + j]);
                for (int j = 0; j < 7; j++) assertEquals(RobomimicFixture.actionValue(i, t, j), e.actions()[t][j]);
            }
        }
        assertEquals(110, ds.totalSteps());
        assertTrue(ds.envArgs().contains("\"Lift\""));
    }

    @Test
    void usesFileMasksWhenPresent() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.masks = true;
        fx.valid = List.of("demo_0", "demo_2");
        DemoDataset ds = DemoDataset.load(fx.write(dir.resolve("m.hdf5")), KEYS);
        assertArrayEquals(new boolean[] {true, false, true}, ds.split().valid());
        assertArrayEquals(new boolean[] {false, true, false}, ds.split().train());
        assertTrue(ds.split().source().startsWith("file"), ds.split().source());
        assertEquals(List.of("demo_1"), ds.trainEpisodes().stream().map(Episode::name).toList());
        // DP's RoboMimic dataset ignores the file's masks: the seeded split on request
        DemoDataset seeded = DemoDataset.load(dir.resolve("m.hdf5"), KEYS,
                DemoDataset.LoadOptions.defaults().withSplit(0.02, 42, false));
        assertArrayEquals(EpisodeSplit.valMask(3, 0.02, 42), seeded.split().valid());
        assertTrue(seeded.split().source().startsWith("seeded"), seeded.split().source());
    }

    @Test
    void seededSplitWithoutMasksFollowsDp() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.lengths = new int[60];
        java.util.Arrays.fill(fx.lengths, 3);
        DemoDataset ds = DemoDataset.load(fx.write(dir.resolve("s.hdf5")), KEYS,
                DemoDataset.LoadOptions.defaults().withMaxTrainEpisodes(20));
        assertArrayEquals(EpisodeSplit.valMask(60, 0.02, 42), ds.split().valid());
        assertEquals(1, ds.split().validCount()); // round(1.2) = 1
        assertEquals(20, ds.split().trainCount());
        assertTrue(ds.split().source().startsWith("seeded"), ds.split().source());
    }

    @Test
    void readsImageFramesLazilyAcrossChunkBoundaries() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.imageSide = 5;
        Path file = fx.write(dir.resolve("img.hdf5"));
        try (DemoFile f = DemoFile.open(file)) {
            assertArrayEquals(new int[] {5, 5, 3}, f.frameShape("demo_2", "image"));
            int from = 3, to = 11; // chunks hold 4 frames: crosses two boundaries
            byte[] frames = f.readFrames("demo_2", "image", from, to);
            assertEquals((to - from) * 75, frames.length);
            int p = 0;
            for (int t = from; t < to; t++)
                for (int y = 0; y < 5; y++)
                    for (int x = 0; x < 5; x++)
                        for (int c = 0; c < 3; c++)
                            assertEquals(RobomimicFixture.pixel(2, t, y, x, c), frames[p++] & 0xff, "t=" + t);
            assertEquals(0, f.readFrames("demo_0", "image", 4, 4).length);
        }
        // an image key is refused as a low-dim obs key with a clear message
        DataFileException e = assertThrows(DataFileException.class,
                () -> DemoDataset.load(file, List.of("object", "image")));
        assertTrue(e.getMessage().contains("/data/demo_0/obs/image: is an image"), e.getMessage());
    }

    /** A low_dim_abs.hdf5-like file: per arm [pos 3, axis-angle 3, gripper 1], angles up to nearly π. */
    private Path absFile(String name, int arms, float[][][] written) {
        RobomimicFixture fx = new RobomimicFixture();
        fx.omit = List.of("demo_0/actions", "demo_1/actions", "demo_2/actions");
        fx.afterDemo = (i, g) -> {
            java.util.Random rnd = new java.util.Random(i);
            float[][] a = new float[fx.lengths[i]][7 * arms];
            for (float[] row : a) {
                for (int arm = 0; arm < arms; arm++) {
                    double x = rnd.nextGaussian(), y = rnd.nextGaussian(), z = rnd.nextGaussian();
                    double n = Math.sqrt(x * x + y * y + z * z), theta = rnd.nextDouble() * 3.1;
                    float[] v = {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian(),
                            (float) (x / n * theta), (float) (y / n * theta), (float) (z / n * theta), rnd.nextBoolean() ? 1f : -1f};
                    System.arraycopy(v, 0, row, 7 * arm, 7);
                }
            }
            written[i] = a;
            g.putDataset("actions", a);
        };
        return fx.write(dir.resolve(name));
    }

    @Test
    void axisAngleActionsBecomeRot6dWhenTheConfigAsksTenPerArm() {
        for (int arms = 1; arms <= 2; arms++) {
            float[][][] written = new float[3][][];
            Path file = absFile("abs" + arms + ".hdf5", arms, written);
            DemoDataset ds = DemoDataset.load(file, KEYS, DemoDataset.LoadOptions.defaults().withDims(null, 10 * arms));
            assertEquals(10 * arms, ds.actionDim());
            AbsActionConverter conv = ds.actionConversion().orElseThrow();
            assertEquals(arms, conv.arms());
            for (int i = 0; i < 3; i++) {
                for (int t = 0; t < written[i].length; t++) {
                    float[] model = ds.episode(i).actions()[t];
                    assertArrayEquals(conv.toRot6d(written[i][t]), model);
                    assertArrayEquals(written[i][t], conv.toAxisAngle(model), 2e-6f);
                }
            }
            // the file's own width, asked for, loads unconverted
            DemoDataset raw = DemoDataset.load(file, KEYS, DemoDataset.LoadOptions.defaults().withDims(null, 7 * arms));
            assertTrue(raw.actionConversion().isEmpty());
            assertArrayEquals(written[2][0], raw.episode(2).actions()[0]);
        }
        // other mismatches are still refused
        DataFileException e = assertThrows(DataFileException.class, () -> DemoDataset.load(dir.resolve("abs1.hdf5"), KEYS,
                DemoDataset.LoadOptions.defaults().withDims(null, 20)));
        assertTrue(e.getMessage().contains("actions have 7 dims but the config says action_dim 20"), e.getMessage());
    }
}
