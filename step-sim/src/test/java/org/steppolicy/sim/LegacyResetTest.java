package org.steppolicy.sim;

import org.junit.jupiter.api.Test;
import org.steppolicy.config.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacyResetTest {
    @Test
    void reproducesTheReferenceResetStates() throws IOException {
        List<String> lines = Files.readAllLines(TestData.require(TestData.REFERENCE.resolve("pusht_reset_states.csv")));
        assertEquals("seed,agent_x,agent_y,block_x,block_y,block_angle_raw,legacy_block_origin_x,legacy_block_origin_y,angle_mod_2pi",
                lines.get(0));
        PushTEnv env = new PushTEnv();
        int rows = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            long seed = Long.parseLong(f[0]);
            double[] draw = PushTEnv.legacyDraw(seed);
            for (int i = 0; i < 5; i++) assertEquals(Double.parseDouble(f[i + 1]), draw[i], 1e-9, "seed " + seed + " column " + i);
            double[] pose = env.legacyBlockPose(draw);
            assertEquals(Double.parseDouble(f[6]), pose[0], 1e-9, "seed " + seed + " origin x");
            assertEquals(Double.parseDouble(f[7]), pose[1], 1e-9, "seed " + seed + " origin y");
            assertEquals(Double.parseDouble(f[8]), pose[2], 1e-9, "seed " + seed + " angle mod 2pi");
            rows++;
        }
        assertEquals(106, rows);
    }

    @Test
    void mt19937MatchesTheReferenceGenerator() {
        // The first outputs of init_genrand(5489), MT19937's published reference sequence.
        LegacyRandom r = new LegacyRandom(5489);
        assertEquals(3499211612L, r.nextUint32());
        assertEquals(581869302L, r.nextUint32());
        assertEquals(3890346734L, r.nextUint32());
    }

    @Test
    void resetRunsOnePhysicsStepFromTheLegacyPose() {
        PushTEnv env = new PushTEnv();
        env.reset(0);
        double[] s = env.state5();
        double[] draw = PushTEnv.legacyDraw(0);
        assertEquals(draw[0], s[0], 0, "the agent is kinematic with zero velocity at reset");
        assertEquals(draw[1], s[1], 0);
        double[] pose = env.legacyBlockPose(draw);
        // Seed 0's agent does not touch the block, so the step leaves the legacy pose unchanged.
        assertEquals(pose[0], s[2], 1e-12);
        assertEquals(pose[1], s[3], 1e-12);
        assertEquals(pose[2], s[4], 1e-12);
        assertEquals(0, env.steps());
    }

    @Test
    void seedsOutsideNumpysRangeAreRejected() {
        UserError low = assertThrows(UserError.class, () -> new PushTEnv().reset(-1));
        assertTrue(low.getMessage().contains("out of range"), low.getMessage());
        assertThrows(UserError.class, () -> new PushTEnv().reset(1L << 32));
        new PushTEnv().reset(0xFFFF_FFFFL); // the largest valid seed works
    }
}
