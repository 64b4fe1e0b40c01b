package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** diffusers' β schedules: float32 linspace for the linear ones, the cosine one unchanged. */
class BetaScheduleTest {
    private static final double START = BetaSchedule.DEFAULT_BETA_START, END = BetaSchedule.DEFAULT_BETA_END;

    @Test
    void linearIsAFloat32LinspaceFromStartToEnd() {
        float[] b = BetaSchedule.LINEAR.betas(100, START, END);
        assertEquals(1e-4f, b[0], 0f);
        assertEquals(0.02f, b[99], 0f);
        for (int i = 0; i < 100; i++) {
            double want = START + (END - START) * i / 99.0;
            assertEquals(want, b[i], 2 * Math.ulp((float) want), "beta " + i);
        }
    }

    @Test
    void scaledLinearIsTheSquareOfALinspaceOfRoots() {
        float[] b = BetaSchedule.SCALED_LINEAR.betas(50, START, END);
        for (int i = 0; i < 50; i++) {
            double r = Math.sqrt(START) + (Math.sqrt(END) - Math.sqrt(START)) * i / 49.0;
            assertEquals(r * r, b[i], 4 * Math.ulp((float) (r * r)), "beta " + i);
        }
        assertTrue(b[25] < BetaSchedule.LINEAR.betas(50, START, END)[25], "scaled_linear adds noise more slowly mid-chain");
    }

    @Test
    void theCosineScheduleIgnoresStartAndEnd() {
        assertArrayEquals(BetaSchedule.SQUAREDCOS_CAP_V2.betas(100, 0.3, 0.4), DiffusionSchedule.diffusionPolicy().betas());
    }

    @Test
    void unsupportedNamesAndBetasOutsideTheUnitIntervalAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BetaSchedule.parse("sigmoid"));
        assertEquals("unsupported beta_schedule 'sigmoid' (supported: squaredcos_cap_v2, linear, scaled_linear)", e.getMessage());
        assertEquals(BetaSchedule.SCALED_LINEAR, BetaSchedule.parse(" Scaled_Linear "));
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.LINEAR.betas(100, 1e-4, 1.5));
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.LINEAR.betas(0, START, END));
    }
}
