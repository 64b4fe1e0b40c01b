package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinearNormalizerTest {
    @TempDir Path dir;

    private static final float[][] ROWS = {{-3f, 10f, 5f}, {1f, 30f, 5f}, {5f, 20f, 5.00001f}};

    @Test
    void limitsMapsMinMaxToUnitAndLeavesConstantDimsCentred() {
        LinearNormalizer n = LinearNormalizer.fit(LinearNormalizer.LIMITS, List.<float[][]>of(ROWS));
        float[] lo = {-3f, 10f, 5f}, hi = {5f, 30f, 5.00001f};
        n.normalize(lo);
        n.normalize(hi);
        assertEquals(-1f, lo[0], 1e-7f);
        assertEquals(1f, hi[0], 1e-7f);
        assertEquals(-1f, lo[1], 1e-7f);
        assertEquals(1f, hi[1], 1e-7f);
        // range 1e-5 < 1e-4: scale 1, offset −min
        assertEquals(1f, n.scale()[2]);
        assertEquals(-5f, n.offset()[2]);
        assertEquals(0f, lo[2]);
        // float32 arithmetic as torch: scale = 2/range, offset = −1 − scale·min
        assertEquals(2f / 8f, n.scale()[0]);
        assertEquals(-1f - (2f / 8f) * -3f, n.offset()[0]);
    }

    @Test
    void unnormalizeInvertsNormalize() {
        LinearNormalizer n = LinearNormalizer.fit(LinearNormalizer.LIMITS, List.<float[][]>of(ROWS));
        float[] x = {0.3f, 17f, 4f, -2f, 29f, 6f};
        float[] y = x.clone();
        n.normalize(y);
        n.unnormalize(y);
        assertArrayEquals(x, y, 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> n.normalize(new float[4]));
    }

    @Test
    void globalScaleUsesOneScaleFromTheLargestMagnitude() {
        LinearNormalizer n = LinearNormalizer.fit(LinearNormalizer.GLOBAL_SCALE,
                List.<float[][]>of(new float[][] {{-40f, 2f}, {3f, 25f}}));
        assertArrayEquals(new float[] {1f / 40f, 1f / 40f}, n.scale());
        assertArrayEquals(new float[] {0f, 0f}, n.offset());
    }

    @Test
    void identityAndAbsPositionSingleAndDualArm() {
        float[][] single = new float[2][10], dual = new float[2][20];
        for (int j = 0; j < 20; j++) {
            dual[0][j] = -j - 1;
            dual[1][j] = j + 1;
            if (j < 10) {
                single[0][j] = -j - 1;
                single[1][j] = 2 * j + 1;
            }
        }
        LinearNormalizer id = LinearNormalizer.fit(LinearNormalizer.IDENTITY, List.<float[][]>of(single));
        for (int j = 0; j < 10; j++) {
            assertEquals(1f, id.scale()[j]);
            assertEquals(0f, id.offset()[j]);
        }
        LinearNormalizer abs = LinearNormalizer.fit(LinearNormalizer.ABS_POSITION, List.<float[][]>of(single));
        for (int j = 0; j < 10; j++) {
            if (j < 3) {
                float[] lo = single[0].clone(), hi = single[1].clone();
                abs.normalize(lo);
                abs.normalize(hi);
                assertEquals(-1f, lo[j], 1e-6f);
                assertEquals(1f, hi[j], 1e-6f);
            } else {
                assertEquals(1f, abs.scale()[j], "rot6d/gripper untouched, dim " + j);
                assertEquals(0f, abs.offset()[j]);
            }
        }
        LinearNormalizer abs2 = LinearNormalizer.fit(LinearNormalizer.ABS_POSITION, List.<float[][]>of(dual));
        for (int j = 0; j < 20; j++) {
            boolean pos = j < 3 || (j >= 10 && j < 13);
            assertEquals(pos ? 2f / (2 * j + 2) : 1f, abs2.scale()[j], 1e-7f, "dim " + j);
        }
        // abs_position's range_eps is 1e-7: a 1e-5 range is still normalised (limits would ignore it)
        LinearNormalizer tiny = LinearNormalizer.fit(LinearNormalizer.ABS_POSITION,
                List.<float[][]>of(new float[][] {{0f, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {1e-5f, 0, 0, 0, 0, 0, 0, 0, 0, 0}}));
        assertEquals(2f / 1e-5f, tiny.scale()[0], 1f);
        assertEquals(1f, tiny.scale()[1]);
        assertThrows(IllegalArgumentException.class,
                () -> LinearNormalizer.fit("gaussian", List.<float[][]>of(single)));
    }

    @Test
    void jsonRoundTripIsBitExact() throws Exception {
        float[][] rows = new float[50][3];
        java.util.Random r = new java.util.Random(3);
        for (float[] row : rows) for (int j = 0; j < 3; j++) row[j] = (float) (r.nextGaussian() * 123.456);
        DatasetNormalizer dn = new DatasetNormalizer(LinearNormalizer.fit(LinearNormalizer.LIMITS, List.<float[][]>of(rows)),
                LinearNormalizer.fit(LinearNormalizer.GLOBAL_SCALE, List.<float[][]>of(rows)));
        Path f = dir.resolve("ckpt/normalizer.json");
        dn.save(f);
        DatasetNormalizer back = DatasetNormalizer.load(f);
        assertEquals("limits", back.obs().mode());
        assertEquals("global_scale", back.action().mode());
        assertArrayEquals(dn.obs().scale(), back.obs().scale());
        assertArrayEquals(dn.obs().offset(), back.obs().offset());
        assertArrayEquals(dn.obs().inputMin(), back.obs().inputMin());
        assertArrayEquals(dn.action().inputMax(), back.action().inputMax());
        assertArrayEquals(dn.action().scale(), back.action().scale());
        assertEquals(dn.toJson(), back.toJson());
        assertThrows(org.steppolicy.config.UserError.class, () -> DatasetNormalizer.load(dir.resolve("none.json")));
    }

    @Test
    void affineFromScaleAndOffsetServesInferenceInFloat64() {
        LinearNormalizer n = LinearNormalizer.affine(new float[] {0.25f, -2f}, new float[] {-0.5f, 0.5f});
        assertEquals(LinearNormalizer.AFFINE, n.mode());
        // the input range is the one that maps onto [−1, 1], whatever the scale's sign
        assertArrayEquals(new float[] {-2f, -0.25f}, n.inputMin());
        assertArrayEquals(new float[] {6f, 0.75f}, n.inputMax());
        float[] out = new float[3];
        n.normalize(new double[] {3.0, 0.125}, out, 1);
        assertArrayEquals(new float[] {0f, 0.25f, 0.25f}, out);
        assertEquals((float) (0.1 * 0.25f + -0.5f), n.normalize(0, 0.1));
        assertEquals((0.3f - (double) 0.5f) / -2f, n.unnormalize(1, 0.3f));
        assertTrue(n.sameAs(LinearNormalizer.affine(new float[] {0.25f, -2f}, new float[] {-0.5f, 0.5000001f}), 1e-6));
        assertFalse(n.sameAs(LinearNormalizer.identity(2), 1e-6));
        assertThrows(IllegalArgumentException.class, () -> LinearNormalizer.affine(new float[] {0f}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> LinearNormalizer.affine(new float[] {1f, 1f}, new float[] {0f}));
    }
}
