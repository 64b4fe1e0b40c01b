package org.steppolicy.sim;

import org.junit.jupiter.api.Test;
import org.steppolicy.config.UserError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushTEnvTest {
    @Test
    void nonFiniteActionsAreRejectedWithOneLine() {
        PushTEnv env = new PushTEnv();
        env.reset(1);
        for (double[] bad : new double[][] {{Double.NaN, 10}, {10, Double.POSITIVE_INFINITY}, {Double.NEGATIVE_INFINITY, 0}}) {
            UserError e = assertThrows(UserError.class, () -> env.step(bad));
            assertTrue(e.getMessage().contains("finite"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertThrows(UserError.class, () -> env.step(new double[] {1, 2, 3}));
        assertEquals(0, env.steps(), "rejected actions do not step");
    }

    @Test
    void observationsFollowTheBlockPose() {
        PushTEnv env = new PushTEnv();
        double[] obs = env.reset(100000);
        double[] s = env.state5();
        assertEquals(20, obs.length);
        assertEquals(s[0], obs[18], 0);
        assertEquals(s[1], obs[19], 0);
        double[] kp = new double[18];
        PushTEnv.keypoints(s[2], s[3], s[4], kp);
        for (int i = 0; i < 18; i++) assertEquals(kp[i], obs[i], 1e-9);
        // Keypoint 3 (-0.27, 25.54) lies inside the bar, close to the origin.
        assertEquals(25.54, Math.hypot(obs[6] - s[2], obs[7] - s[3]), 0.01);
    }

    @Test
    void goalPoseGivesFullCoverageAndReward() {
        PushTEnv env = new PushTEnv();
        // Non-legacy state setting puts the origin exactly at the goal; the agent is far away.
        env.resetToState(new double[] {50, 50, 256, 256, Math.PI / 4}, false);
        assertEquals(1.0, env.coverage(), 1e-9);
        assertEquals(1.0, env.reward(), 0);
        StepResult r = env.step(new double[] {50, 50});
        assertTrue(r.done());
        assertFalse(r.truncated());
        assertEquals(1.0, r.reward(), 0);
        // Shifted by 30 px along the bar: a known overlap.
        env.resetToState(new double[] {50, 50, 256, 256, 0}, false);
        assertEquals(env.coverageOfPose(256, 256, 0), env.coverage(), 0);
        assertTrue(env.coverage() > 0.2 && env.coverage() < 0.8, "partial coverage " + env.coverage());
    }

    @Test
    void clippedCoverageAgreesWithJtsOverlay() {
        Coverage c = new Coverage(PushTSpec.GOAL_POSE);
        LegacyRandom r = new LegacyRandom(11);
        int overlapping = 0;
        for (int i = 0; i < 300; i++) {
            double x = 256 + (r.nextDouble() - 0.5) * 200, y = 256 + (r.nextDouble() - 0.5) * 200;
            double a = r.nextDouble() * 2 * Math.PI;
            double fast = c.coverage(x, y, a), ref = c.coverageByOverlay(x, y, a);
            assertEquals(ref, fast, 1e-9, "pose " + x + ", " + y + ", " + a);
            if (ref > 0) overlapping++;
        }
        assertTrue(overlapping > 100);
        assertEquals(6300, c.goalArea(), 1e-9);
    }

    @Test
    void truncationAfterThreeHundredSteps() {
        PushTEnv env = new PushTEnv();
        double[] obs = env.reset(5);
        StepResult r = null;
        for (int i = 0; i < 300; i++) r = env.step(new double[] {obs[18], obs[19]});
        assertTrue(r.truncated());
        assertEquals(300, env.steps());
    }
}
