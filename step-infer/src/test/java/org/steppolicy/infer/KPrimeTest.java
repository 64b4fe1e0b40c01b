package org.steppolicy.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.UserError;
import org.steppolicy.models.DiffusionSchedule;

/**
 * K', the step count of the warm-started methods, has one route: the method spec. Every way of writing it is here,
 * each checked for the label (the spec's step count) and the U-Net forwards a warm call actually makes.
 */
class KPrimeTest {
    private static final DiffusionSchedule S = DiffusionSchedule.diffusionPolicy();

    /** The timesteps of the U-Net forwards of one warm (not cold-start) call of {@code cfg}. */
    private static List<Integer> warmForwards(MethodConfig cfg) {
        Fakes.Recording dp = new Fakes.Recording(new Fakes.CondTarget(ChunkPlannerTest.SHAPE, false), ChunkPlannerTest.SHAPE.condDim());
        Fakes.Predictor pred = new Fakes.Predictor(ChunkPlannerTest.SHAPE.horizon(), ChunkPlannerTest.SHAPE.actionDim(),
                cfg.method() != Method.SPATIAL);   // spatial's predictor sees the observation only
        EngineEpisode r = ChunkPlannerTest.episode(cfg, dp, cfg.method() == Method.TEMPORAL ? null : pred);
        r.reset(1);
        r.act(ChunkPlannerTest.window(1));
        dp.timesteps.clear();
        r.act(ChunkPlannerTest.window(2));
        assertFalse(r.lastLatency().coldStart(), cfg.label());
        return List.copyOf(dp.timesteps);
    }

    private static int labelledCalls(String label) {
        return Integer.parseInt(label.split(":")[1]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            // strided (the default mode): K' DDIM timesteps over the whole chain
            "step:1;           0",
            "step:2;           50 0",
            "step:4;           75 50 25 0",
            "step:4:dpmsolver; 75 50 25 0",      // a solver changes the update, not the calls
            "step:2:strided;   50 0",
            // fine: start at step K', K' single steps
            "step:2:fine;      1 0",
            "step:4:fine;      3 2 1 0",
            "step:4:fine:ddpm; 3 2 1 0",
            "spatial:3:fine;   2 1 0",
            "temporal:2:fine;  1 0",
            "temporal:4;       75 50 25 0",
            // an entry timestep: K' calls from tN
            "step:2:t30;       30 0",
            "step:3:t60;       60 33 0",
            "spatial:4:t60;    60 50 25 0",
    })
    void theSpecsStepCountIsTheLabelAndTheNetworkCalls(String spec, String expected) {
        MethodSpec parsed = MethodSpec.parse(spec);
        MethodConfig cfg = parsed.config();
        List<Integer> want = java.util.Arrays.stream(expected.trim().split(" ")).map(Integer::valueOf).toList();
        assertEquals(spec, parsed.label());
        assertEquals(spec, cfg.label());
        assertEquals(want.size(), labelledCalls(cfg.label()), "the label says the calls");
        assertEquals(want.size(), cfg.steps());
        assertArrayEquals(want.stream().mapToInt(Integer::intValue).toArray(), cfg.timesteps(S));
        assertEquals(want, warmForwards(cfg), "U-Net forwards of a warm call");
    }

    @Test
    void theConfiguredModeKeepsTheSpecsStepCount() {
        // inference.warm_start_mode=fine picks the reading; K' is still the spec's count
        InferenceSettings fine = InferenceSettings.from(ConfigLoader.defaults(List.of("inference.warm_start_mode=fine")).inference());
        for (int k : new int[] {1, 2, 4}) {
            MethodConfig cfg = MethodSpec.parse("step:" + k).config(fine);
            assertEquals(WarmStartMode.FINE, cfg.warmStart().mode());
            assertEquals(k, labelledCalls(cfg.label()));
            assertEquals(k, warmForwards(cfg).size(), cfg.label());
            assertEquals(k - 1, warmForwards(cfg).get(0), "starts at step K' (timestep K' - 1)");
        }
        // and a spec's own mode wins over the configured one
        assertEquals(List.of(50, 0), warmForwards(MethodSpec.parse("step:2:strided").config(fine)));
    }

    @Test
    void theRemovedConfigKeyIsRefusedNotFoldedIn() {
        UserError e = assertThrows(UserError.class,
                () -> ConfigLoader.defaults(List.of("inference.warm_start_mode=fine", "inference.warm_start_step=4")));
        assertTrue(e.getMessage().contains("inference.warm_start_step' was removed") && e.getMessage().contains("step:4:fine"),
                e.getMessage());
        // its default (null) in an older run's config still reads, and changes nothing
        InferenceSettings old = InferenceSettings.from(ConfigLoader.fromResolvedYaml(
                "inference:\n  warm_start_mode: fine\n  warm_start_step: null\n", "run").inference());
        assertEquals(List.of(1, 0), warmForwards(MethodSpec.parse("step:2").config(old)));
    }

    @Test
    void aChainThatWouldMakeFewerCallsThanItsLabelIsRefused() {
        // step:4 enters at t10 with only 0 below it: 2 calls, not 4 (this used to run as 10, 0 under the label step:4)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodSpec.parse("step:4:t10").config().timesteps(S));
        assertTrue(e.getMessage().contains("2 network calls, not the 4"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 2 steps enter at t10"), e.getMessage());
        assertArrayEquals(new int[] {10, 0}, MethodSpec.parse("step:2:t10").config().timesteps(S));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("step:4:t30").config().timesteps(S));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("step:2:t0").config().timesteps(S));
        // DPM-Solver++'s linspace grid at K = T drops a repeated timestep: 99 calls, so dpmsolver:100 is refused
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> MethodSpec.parse("dpmsolver:100").config().timesteps(S));
        assertTrue(d.getMessage().contains("99 network calls"), d.getMessage());
        assertEquals(99, MethodSpec.parse("dpmsolver:99").config().timesteps(S).length);
    }
}
