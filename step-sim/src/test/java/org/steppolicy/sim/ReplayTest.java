package org.steppolicy.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayTest {
    /**
     * All 206 official demos (25,650 steps, a few seconds). The bar is median ≤ 0.5 px, worst ≤ 3 px, worst angle
     * ≤ 0.05 rad; the port replays exactly, so the recorded float32 rounding (about 2e-5 px) is all that remains and
     * a 1e-3 px bound guards against regressions.
     */
    @Test
    void officialDemosReplayWithinTheBar() {
        Path file = TestData.require(TestData.LOWDIM);
        List<PushTDemos.Demo> all = PushTDemos.loadAll(file);
        assertEquals(206, all.size());
        PushTEnv env = new PushTEnv();
        List<Replay.DemoResult> results = new ArrayList<>();
        for (PushTDemos.Demo d : all) results.add(Replay.replay(env, d));
        Replay.Summary s = new Replay.Summary(results);
        assertTrue(s.meetsBar(), s.report());
        assertTrue(s.worstMaxPosErrPx() < 1e-3, s.report());
        assertTrue(s.worstMaxAngleErrRad() < 1e-4, s.report());
        assertTrue(s.worstFinalCoverageErr() < 1e-4, s.report());
        assertEquals(25650, s.steps());
    }

    @Test
    void replaysAFileWrittenFromTheSimulator(@TempDir Path dir) {
        Path file = dir.resolve("synthetic.hdf5");
        DemoFiles.write(file, new long[] {7, 100003}, 60, true);
        Replay.Summary s = Replay.run(file);
        assertEquals(2, s.demos().size());
        assertEquals(120, s.steps());
        // Only the float32 rounding of the stored states remains.
        assertTrue(s.worstMaxPosErrPx() < 1e-4, s.report());
        com.fasterxml.jackson.databind.JsonNode json;
        try {
            json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(s.toJson());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + s.toJson(), e);
        }
        assertEquals(2, json.get("demos").asInt());
        assertEquals(2, json.get("per_demo").size());
        assertEquals(s.worstMaxPosErrPx(), json.get("worst_max_pos_err_px").asDouble(), 0.0);
        for (String key : List.of("median_max_pos_err_px", "worst_max_angle_err_rad", "worst_final_coverage_err"))
            assertTrue(json.has(key), key + " missing from " + json);
    }

    @Test
    void aDemoWithoutSeedIsAClearError(@TempDir Path dir) {
        Path file = dir.resolve("noseed.hdf5");
        DemoFiles.write(file, new long[] {3}, 5, false);
        UserError e = assertThrows(UserError.class, () -> Replay.run(file));
        assertTrue(e.getMessage().contains("demo_0") && e.getMessage().contains("'seed'"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void aMissingFileIsAClearError(@TempDir Path dir) {
        UserError e = assertThrows(UserError.class, () -> Replay.run(dir.resolve("nope.hdf5")));
        assertTrue(e.getMessage().contains("nope.hdf5"), e.getMessage());
    }

    @Test
    void angleDifferenceWrapsAroundTwoPi() {
        assertEquals(0.02, Replay.angleDiff(0.01, 2 * Math.PI - 0.01), 1e-12);
        assertEquals(Math.PI, Replay.angleDiff(0, Math.PI), 1e-12);
        assertEquals(1.5, Replay.median(new double[] {3, 1, 2, 0}), 0);
    }
}
