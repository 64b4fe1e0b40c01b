package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmStartTest {
    private static final DiffusionSchedule S = DiffusionSchedule.diffusionPolicy();
    private static final float[] EST = {0.5f, -0.25f, 1f, 0f};

    @Test
    void stridedIsQSampleAtTheFirstDdimTimestep() {
        WarmStartConfig cfg = WarmStartConfig.defaults();
        int[] ts = cfg.timesteps(S, 2);
        assertArrayEquals(new int[] {50, 0}, ts);
        assertArrayEquals(new int[] {75, 50, 25, 0}, cfg.timesteps(S, 4));
        float[] x = new float[4];
        new WarmStart(S, cfg).form(EST, 4, ts[0], 1, 0, new GaussianNoise(7), x);
        GaussianNoise eps = new GaussianNoise(7);
        double a = S.alphaCumprod(50);
        for (int j = 0; j < 4; j++) assertEquals(Math.sqrt(a) * EST[j] + Math.sqrt(1 - a) * eps.next(), x[j], 1e-6);
        // docs/reference/step-method.md: k=2 → 0.69·Â + 0.72·ε
        assertEquals(0.69, Math.sqrt(a), 0.01);
        assertEquals(0.72, Math.sqrt(1 - a), 0.01);
    }

    @Test
    void fineIsSigmaTimesTheEstimatePlusSigmaTNoise() {
        WarmStartConfig cfg = new WarmStartConfig(WarmStartMode.FINE, 1, 0);
        assertArrayEquals(new int[] {1, 0}, cfg.timesteps(S, 2));
        assertArrayEquals(new int[] {4, 3, 2, 1, 0}, cfg.timesteps(S, 5), "K' is the step count: K' single steps");
        float[] x = new float[4];
        WarmStart ws = new WarmStart(S, cfg);
        ws.form(EST, 4, 1, 1, 0, new GaussianNoise(7), x);
        assertArrayEquals(EST, x, 0f);
        ws.form(EST, 4, 1, 0.8, 0.1, new GaussianNoise(7), x);
        GaussianNoise eps = new GaussianNoise(7);
        for (int j = 0; j < 4; j++) assertEquals(0.8 * EST[j] + 0.1 * eps.next(), x[j], 1e-6);
    }

    @Test
    void stallTestComparesTheLastTwoChunksWithTheL2Norm() {
        VelocityPerturbation p = new VelocityPerturbation(PerturbationConfig.paper(), WarmStartConfig.defaults());
        ActionCache cache = new ActionCache(4);
        p.update(cache);
        assertFalse(p.stalled());
        cache.push(new float[] {0, 0, 0, 0});
        p.update(cache);
        assertFalse(p.stalled());
        assertEquals(1.0, p.sigma());
        assertEquals(0.0, p.sigmaT());
        cache.push(new float[] {0.006f, 0, 0.008f, 0}); // ‖ΔA‖ = 0.01: not below ε_a
        p.update(cache);
        assertEquals(0.01, p.lastNorm(), 1e-6);
        assertFalse(p.stalled());
        cache.push(new float[] {0.006f, 0, 0.008f, 0.005f}); // ‖ΔA‖ = 0.005
        p.update(cache);
        assertTrue(p.stalled());
        assertEquals(1.0, p.sigma());
        assertEquals(0.1, p.sigmaT());

        VelocityPerturbation custom = new VelocityPerturbation(new PerturbationConfig(true, 0.01, 0.9, 1.2),
                new WarmStartConfig(WarmStartMode.FINE, 1.0, 0.02));
        custom.update(cache);
        assertEquals(0.9, custom.sigma());
        assertEquals(1.2, custom.sigmaT());
        VelocityPerturbation off = new VelocityPerturbation(PerturbationConfig.paper().withEnabled(false),
                new WarmStartConfig(WarmStartMode.FINE, 1.0, 0.02));
        off.update(cache);
        assertFalse(off.stalled());
        assertEquals(0.02, off.sigmaT(), "the normal pair comes from the warm-start config");
    }

    @Test
    void actionCacheKeepsTheLastTwoChunks() {
        ActionCache c = new ActionCache(2);
        assertThrows(IllegalStateException.class, c::latest);
        c.push(new float[] {1, 1});
        c.push(new float[] {2, 2});
        c.push(new float[] {3, 3});
        assertEquals(2, c.size());
        assertArrayEquals(new float[] {3, 3}, c.latest());
        assertArrayEquals(new float[] {2, 2}, c.previous());
        c.clear();
        assertEquals(0, c.size());
    }
}
