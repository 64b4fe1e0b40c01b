package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AbsActionConverterTest {

    @Test
    void appliesOnlyToSevenPerArmIntoTenPerArm() {
        assertEquals(Optional.of(new AbsActionConverter(1)), AbsActionConverter.between(7, 10));
        assertEquals(Optional.of(new AbsActionConverter(2)), AbsActionConverter.between(14, 20));
        assertTrue(AbsActionConverter.between(7, 7).isEmpty());
        assertTrue(AbsActionConverter.between(14, 10).isEmpty());
        assertTrue(AbsActionConverter.between(7, 20).isEmpty());
        assertTrue(AbsActionConverter.between(2, 10).isEmpty());
    }

    @Test
    void keepsPositionAndGripperAndConvertsEachArmsRotation() {
        AbsActionConverter two = new AbsActionConverter(2);
        float h = (float) (Math.PI / 2);
        float[] file = {0.1f, 0.2f, 0.3f, 0, 0, h, -1, /* arm 1 */ 0.4f, 0.5f, 0.6f, 0, 0, 0, 1};
        float[] model = two.toRot6d(file);
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0, -1, 0, 1, 0, 0, -1,
                0.4f, 0.5f, 0.6f, 1, 0, 0, 0, 1, 0, 1}, model, 1e-7f);
        assertArrayEquals(file, two.toAxisAngle(model), 1e-6f);
    }

    @Test
    void roundTripsRandomFloatActions() {
        Random rnd = new Random(3);
        AbsActionConverter one = new AbsActionConverter(1);
        for (int i = 0; i < 1000; i++) {
            double theta = i % 2 == 0 ? rnd.nextDouble() * 3.1 : rnd.nextDouble() * 1e-4;
            double x = rnd.nextGaussian(), y = rnd.nextGaussian(), z = rnd.nextGaussian(), n = Math.sqrt(x * x + y * y + z * z);
            float[] a = {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian(),
                    (float) (x / n * theta), (float) (y / n * theta), (float) (z / n * theta), rnd.nextBoolean() ? 1 : -1};
            assertArrayEquals(a, one.toAxisAngle(one.toRot6d(a)), 2e-6f);
        }
    }
}
