package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The percentile bootstrap on samples whose resampled means are known, and its reproducibility. */
class BootstrapIntervalTest {
    @Test
    void constantScoresGiveAZeroWidthInterval() {
        BootstrapInterval ci = BootstrapInterval.of(Collections.nCopies(50, 0.8));
        assertEquals(0.8, ci.mean(), 1e-12);
        assertEquals(0.8, ci.lo(), 1e-12);
        assertEquals(0.8, ci.hi(), 1e-12);
        assertEquals("0.800 [0.800, 0.800]", ci.format());
        BootstrapInterval one = BootstrapInterval.of(List.of(0.3));
        assertEquals(0.3, one.lo());
        assertEquals(0.3, one.hi());
        assertTrue(Double.isNaN(BootstrapInterval.of(List.of()).mean()));
    }

    @Test
    void smallSamplesGiveTheirExactPercentiles() {
        // {0, 1}: a resample's mean is 0, 0.5 or 1 with probability 1/4, 1/2, 1/4: both 2.5 % tails lie inside the ends.
        BootstrapInterval two = BootstrapInterval.of(List.of(0.0, 1.0));
        assertEquals(0.5, two.mean());
        assertEquals(0.0, two.lo());
        assertEquals(1.0, two.hi());
        // {0, 0, 3}: the mean is the number of 3s drawn, Binomial(3, 1/3): P(0) = 8/27 > 2.5 %, P(3) = 1/27 > 2.5 %.
        BootstrapInterval three = BootstrapInterval.of(List.of(0.0, 0.0, 3.0));
        assertEquals(1.0, three.mean());
        assertEquals(0.0, three.lo());
        assertEquals(3.0, three.hi());
    }

    @Test
    void aLargeSampleGivesTheNormalInterval() {
        // 0..99: mean 49.5, standard error sqrt(833.25 / 100) = 2.887, so about 49.5 -/+ 1.96 * 2.887 = [43.84, 55.16].
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < 100; i++) v.add((double) i);
        BootstrapInterval ci = BootstrapInterval.of(v);
        assertEquals(49.5, ci.mean(), 1e-12);
        assertEquals(43.84, ci.lo(), 0.35);
        assertEquals(55.16, ci.hi(), 0.35);
    }

    @Test
    void theFixedSeedMakesTheIntervalReproducible() {
        double[] v = {0.1, 0.9, 0.35, 1.0, 0.0, 0.72, 0.5};
        List<Double> list = new ArrayList<>();
        for (double x : v) list.add(x);
        BootstrapInterval a = BootstrapInterval.of(list), b = BootstrapInterval.of(list);
        assertEquals(a, b);
        // The figures scripts/eval_table.py computes in Python with its copy of java.util.Random: the same to the last bit.
        assertEquals(0.24285714285714288, a.lo());
        assertEquals(0.7742857142857142, a.hi());
        assertNotEquals(a, BootstrapInterval.of(v, BootstrapInterval.RESAMPLES, BootstrapInterval.SEED + 1));
    }

    @Test
    void percentilesInterpolateBetweenOrderStatistics() {
        double[] s = {1, 2, 3, 4};
        assertEquals(1, BootstrapInterval.percentile(s, 0));
        assertEquals(2.5, BootstrapInterval.percentile(s, 0.5));
        assertEquals(4, BootstrapInterval.percentile(s, 1));
        assertEquals(1.3, BootstrapInterval.percentile(s, 0.1), 1e-12);
    }

    @Test
    void anIntervalExcludesZeroOnlyWhenItLiesOnOneSide() {
        assertTrue(new BootstrapInterval(0.1, 0.02, 0.2).excludesZero());
        assertTrue(new BootstrapInterval(-0.1, -0.2, -0.01).excludesZero());
        assertFalse(new BootstrapInterval(0.1, -0.02, 0.2).excludesZero());
        assertFalse(new BootstrapInterval(0, 0, 0).excludesZero());
        assertEquals("+0.100 [-0.020, +0.200]", new BootstrapInterval(0.1, -0.02, 0.2).formatSigned());
    }
}
