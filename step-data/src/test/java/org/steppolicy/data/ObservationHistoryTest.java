package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ObservationHistoryTest {
    @Test
    void observationHistoryRepeatsTheFirstObservation() {
        ObservationHistory h = new ObservationHistory(3, 1);
        h.push(new double[] {1});
        assertArrayEquals(new double[][] {{1}, {1}, {1}}, h.window());
        h.push(new double[] {2});
        h.push(new double[] {3});
        h.push(new double[] {4});
        assertArrayEquals(new double[][] {{2}, {3}, {4}}, h.window());
        h.reset();
        assertThrows(IllegalStateException.class, h::window);
    }

    @Test
    void copyIsDetached() {
        ObservationHistory h = new ObservationHistory(2, 2);
        h.push(new double[] {1, 2});
        double[][] c = h.copy();
        h.push(new double[] {3, 4});
        assertArrayEquals(new double[][] {{1, 2}, {1, 2}}, c);
        assertNotSame(h.window()[0], c[0]);
    }
}
