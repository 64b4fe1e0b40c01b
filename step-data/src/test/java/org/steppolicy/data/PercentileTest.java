package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PercentileTest {
    @Test
    void percentileIsNumpysLinear() {
        assertEquals(2.5, Percentile.ofSorted(new double[] {1, 2, 3, 4}, 50), 1e-12);
        assertEquals(3.85, Percentile.ofSorted(new double[] {1, 2, 3, 4}, 95), 1e-12); // numpy.percentile([1,2,3,4], 95)
        assertEquals(1.0, Percentile.ofSorted(new double[] {1}, 99), 0);
        assertEquals(Double.NaN, Percentile.ofSorted(new double[0], 50));
    }
}
