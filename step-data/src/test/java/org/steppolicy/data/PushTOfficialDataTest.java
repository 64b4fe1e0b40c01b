package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks on the official Push-T data (../shared/data/pusht); skipped when it is absent. */
class PushTOfficialDataTest {
    static final Path LOWDIM = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5");
    static final Path IMAGE = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_image.hdf5");
    /** docs/reference/diffusion-policy.md §D.3: the low-dim obs is keypoint (18) then agent_pos (2). */
    static final List<String> KEYS = List.of("keypoint", "agent_pos");

    static DemoDataset data;

    @BeforeAll
    static void load() {
        assumeTrue(Files.exists(LOWDIM), "official Push-T data absent at " + LOWDIM.toAbsolutePath() + ": skipped");
        data = DemoDataset.load(LOWDIM, KEYS, DemoDataset.LoadOptions.defaults().withDims(20, 2));
    }

    @Test
    void demosAndSteps() {
        assertEquals(206, data.size());
        assertEquals(25650, data.totalSteps());
        int min = Integer.MAX_VALUE, max = 0;
        for (int i = 0; i < data.size(); i++) {
            assertEquals("demo_" + i, data.episode(i).name());
            assertEquals(i, data.episode(i).seed().getAsLong(), "episode i starts from seed i");
            min = Math.min(min, data.episode(i).length());
            max = Math.max(max, data.episode(i).length());
        }
        assertEquals(49, min);
        assertEquals(246, max);
        assertTrue(data.envArgs().contains("\"PushT\""));
    }

    @Test
    void fileMasksGiveValidDemos18_90_134_157() {
        assertTrue(data.split().source().startsWith("file"), data.split().source());
        assertArrayEquals(new int[] {18, 90, 134, 157}, EpisodeSplit.indices(data.split().valid()));
        assertEquals(202, data.split().trainCount());
        // the file's mask equals DP's seeded rule
        assertArrayEquals(EpisodeSplit.valMask(206, 0.02, 42), data.split().valid());
        DemoDataset capped = DemoDataset.load(LOWDIM, KEYS, DemoDataset.LoadOptions.defaults().withMaxTrainEpisodes(90));
        assertEquals(90, capped.split().trainCount());
        assertArrayEquals(EpisodeSplit.seeded(206, 0.02, 42, 90).train(), capped.split().train());
    }

    @Test
    void fittedNormalizerEqualsReferenceValues() {
        DatasetNormalizer n = DatasetNormalizer.fit(data, LinearNormalizer.LIMITS, LinearNormalizer.LIMITS);
        // docs/reference/diffusion-policy.md §C, computed from pusht_cchi_v7_replay.zarr
        assertClose(new double[] {12, 25}, n.action().inputMin());
        assertClose(new double[] {511, 511}, n.action().inputMax());
        assertClose(new double[] {0.0040080161, 0.0041152262}, n.action().scale());
        assertClose(new double[] {-1.0480962, -1.1028807}, n.action().offset());
        assertClose(new double[] {45.294083, 100.41482, 21.670769, 69.740555, 44.881912, 81.385841, 78.581757,
                132.85989, 12.201386, 67.230522, 79.016701, 114.15277, 61.476223, 107.99109, 70.99691, 126.12453,
                62.56744, 103.49393, 13.456424, 32.938293}, n.obs().inputMin());
        assertClose(new double[] {444.74103, 485.78152, 462.09991, 519.60608, 465.14212, 509.72571, 414.40317,
                461.76526, 468.96317, 521.06793, 436.97766, 477.07614, 435.26593, 481.91983, 410.9646, 461.85315,
                443.056, 495.9621, 496.14618, 510.95789}, n.obs().inputMax());
        float[] obsMin = n.obs().inputMin(), obsMax = n.obs().inputMax();
        for (int j = 0; j < 20; j++) {
            assertEquals(2.0 / (obsMax[j] - obsMin[j]), n.obs().scale()[j], 1e-6 * n.obs().scale()[j]);
        }
    }

    private static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.abs(expected[i]), "index " + i);
        }
    }

    @Test
    void windowsNMinus7Total24208() {
        SequenceSampler s = new SequenceSampler(data.episodes(), 16, 2, 8, null);
        assertEquals(24208, s.size());
        assertEquals(25650 - 7 * 206, s.size());
    }

    /** Loading the image file and streaming all its frames fits a 2 GB heap (issue 2): checked in a child JVM. */
    @Test
    void imageFileStreamsEveryFrameUnder2GbHeap() throws Exception {
        assumeTrue(Files.exists(IMAGE), "official Push-T image data absent: skipped");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "-Xmx2g", "-cp", cp, ImageHeapCheck.class.getName(), IMAGE.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("frames 25650"), out);
    }

    @Test
    void imageFramesAreReadLazilyAndCorrectly() {
        assumeTrue(Files.exists(IMAGE), "official Push-T image data absent: skipped");
        try (DemoFile f = DemoFile.open(IMAGE)) {
            assertArrayEquals(new int[] {96, 96, 3}, f.frameShape("demo_0", "image"));
            byte[] all = f.readFrames("demo_7", "image", 0, 40);
            byte[] part = f.readFrames("demo_7", "image", 13, 35);   // crosses chunk boundaries (16 frames)
            assertArrayEquals(java.util.Arrays.copyOfRange(all, 13 * 27648, 35 * 27648), part);
        }
    }
}
