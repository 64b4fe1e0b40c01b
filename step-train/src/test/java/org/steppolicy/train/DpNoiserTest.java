package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.steppolicy.models.DiffusionSchedule;

class DpNoiserTest {
    private final DiffusionSchedule sched = DiffusionSchedule.diffusionPolicy();

    @Test
    void noisesWithTheScheduleAndIsReproducible() {
        int T = 4, D = 3, B = 64;
        DpNoiser n = new DpNoiser(sched, T, D, null);
        float[] x0 = new float[B * T * D];
        for (int i = 0; i < x0.length; i++) x0[i] = (i % 7) / 7f - 0.5f;
        float[] xt = new float[x0.length], eps = new float[x0.length];
        int[] t = new int[B];
        n.noise(x0, B, 42, 3, xt, eps, t);
        for (int b = 0; b < B; b++) {
            assertTrue(t[b] >= 0 && t[b] < 100);
            float acp = sched.alphaCumprod(t[b]);
            for (int i = 0; i < T * D; i++) {
                int k = b * T * D + i;
                assertEquals(Math.sqrt(acp) * x0[k] + Math.sqrt(1 - acp) * eps[k], xt[k], 1e-5);
            }
        }
        float[] xt2 = new float[x0.length], eps2 = new float[x0.length];
        int[] t2 = new int[B];
        n.noise(x0, B, 42, 3, xt2, eps2, t2);
        assertArrayEquals(xt, xt2, 0f);
        assertArrayEquals(t, t2);
        n.noise(x0, B, 42, 4, xt2, eps2, t2);
        assertFalse(Arrays.equals(eps, eps2), "another step draws other noise");
        double mean = 0, var = 0;
        for (float e : eps) mean += e;
        mean /= eps.length;
        for (float e : eps) var += (e - mean) * (e - mean);
        assertEquals(1.0, var / eps.length, 0.15);
    }

    @Test
    void inpaintingKeepsObservedEntriesClean() {
        int T = 16, Da = 2, Do = 20, To = 2, D = Da + Do;
        boolean[] mask = DpNoiser.inpaintingMask(T, Da, Do, To);
        DpNoiser n = new DpNoiser(sched, T, D, mask);
        float[] x0 = new float[2 * T * D];
        Arrays.fill(x0, 0.25f);
        float[] xt = new float[x0.length], eps = new float[x0.length];
        n.noise(x0, 2, 1, 0, xt, eps, new int[2]);
        float[] w = n.lossWeight();
        int masked = 0;
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < T; t++)
                for (int c = 0; c < D; c++) {
                    int i = t * D + c;
                    boolean given = t < To && c >= Da;
                    assertEquals(given, mask[i]);
                    assertEquals(given ? 0f : 1f, w[i]);
                    if (given) { assertEquals(0.25f, xt[b * T * D + i]); masked++; }
                }
        assertEquals(2 * To * Do, masked);
    }
}
