package org.steppolicy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ConfigLoaderTest {

    @Test
    void everyShippedConfigLoads() throws Exception {
        try (var files = Files.list(Path.of("configs"))) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertTrue(yamls.size() >= 7, "configs/ holds the task configs");
            for (Path p : yamls) {
                StepConfig c = ConfigLoader.load(p, List.of());
                assertEquals(16, c.task().horizon(), p.toString());
                assertEquals(c.task().obsKeys().isEmpty(), false, p.toString());
            }
        }
    }

    @Test
    void squareHasTheRoboMimicLayout() {
        StepConfig c = ConfigLoader.load(Path.of("configs/square.yaml"), List.of());
        assertEquals(List.of("object", "robot0_eef_pos", "robot0_eef_quat", "robot0_gripper_qpos"), c.task().obsKeys());
        assertEquals(23, c.task().obsDim());
        assertEquals("global_scale", c.task().obsNormalizer());
        assertFalse(c.task().hasSimulator());
    }

    @Test
    void extendsAndOverridesApplyInOrder() {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"),
                List.of("training.batch_size=64", "training.lr=3e-4", "policy.down_dims=[8,16,32]", "task.max_train_episodes=5"));
        assertEquals(List.of(8, 16, 32), c.policy().downDims());
        assertEquals(64, c.training().batchSize());
        assertEquals(3e-4, c.training().lr(), 1e-12);
        assertEquals(5, c.task().maxTrainEpisodes());
        assertEquals(20, c.task().obsDim(), "inherited from pusht.yaml");
        assertEquals(0.95, c.training().beta1(), 1e-12);
    }

    @Test
    void unknownKeyNamesTheClosestValidKey() {
        UserError e = assertThrows(UserError.class,
                () -> ConfigLoader.load(Path.of("configs/pusht.yaml"), List.of("training.batchsize=64")));
        assertTrue(e.getMessage().contains("'training.batchsize'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'training.batch_size'"), e.getMessage());
    }

    @Test
    void unknownKeyInAFileNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "policy:\n  down_dim: [1, 2]\n");
        UserError e = assertThrows(UserError.class, () -> ConfigLoader.load(f, List.of()));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("policy.down_dims"), e.getMessage());
    }

    @Test
    void wrongTypesAndBadYamlAreOneLineErrors(@TempDir Path dir) throws Exception {
        assertThrows(UserError.class, () -> ConfigLoader.defaults(List.of("training.batch_size=many")));
        assertThrows(UserError.class, () -> ConfigLoader.defaults(List.of("policy.down_dims=7")));
        assertThrows(UserError.class, () -> ConfigLoader.defaults(List.of("noequals")));
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "task: [unclosed\n");
        UserError e = assertThrows(UserError.class, () -> ConfigLoader.load(f, List.of()));
        assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertThrows(UserError.class, () -> ConfigLoader.load(dir.resolve("missing.yaml"), List.of()));
    }

    @Test
    void resolvedYamlRoundTrips() {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), List.of("training.batch_size=32"));
        String yaml = c.toYaml();
        assertTrue(yaml.contains("provenance"));
        StepConfig back = ConfigLoader.fromResolvedYaml(yaml, "checkpoint");
        assertEquals(c.policy(), back.policy());
        assertEquals(c.training(), back.training());
        assertEquals(c.task(), back.task());
        // Where it came from survives the round trip (a resumed run's config still names its first file and overrides).
        assertEquals(c.provenance(), back.provenance());
        StepConfig more = c.with("task.dataset=/tmp/x.hdf5");
        assertEquals("/tmp/x.hdf5", more.task().dataset());
        assertEquals(List.of("training.batch_size=32", "task.dataset=/tmp/x.hdf5"), more.provenance().overrides());
    }

    /** K' has one route, the method spec (step:4:fine); the removed inference.warm_start_step key is refused in every form. */
    @Test
    void theRemovedWarmStartStepIsRefusedWithWhatToWriteInstead(@TempDir Path dir) throws Exception {
        UserError o = assertThrows(UserError.class, () -> ConfigLoader.defaults(List.of("inference.warm_start_step=4")));
        assertEquals("override: 'inference.warm_start_step' was removed; K' is the method spec's step count (its network"
                + " calls): write step:4:fine instead of step:2:fine with inference.warm_start_step=4", o.getMessage());
        Path f = dir.resolve("kprime.yaml");
        Files.writeString(f, "inference:\n  warm_start_mode: fine\n  warm_start_step: 4\n");
        UserError y = assertThrows(UserError.class, () -> ConfigLoader.load(f, List.of()));
        assertTrue(y.getMessage().startsWith(f + ": 'inference.warm_start_step' was removed; "), y.getMessage());
        assertFalse(y.getMessage().contains("\n"));
        assertThrows(UserError.class, () -> ConfigLoader.fromResolvedYaml("inference:\n  warm_start_step: 2\n", "run"));
        // what older runs' config.yaml hold (the key's default, null) still reads, and is not written back
        StepConfig old = ConfigLoader.fromResolvedYaml("inference:\n  warm_start_mode: fine\n  warm_start_step: null\n", "run");
        assertEquals("fine", old.inference().warmStartMode());
        assertFalse(old.toYaml().contains("warm_start_step"));
        assertEquals("fine", ConfigLoader.defaults(List.of("inference.warm_start_step=null", "inference.warm_start_mode=fine"))
                .inference().warmStartMode());
        // every shipped run config keeps loading
        for (String run : List.of("checkpoints/pusht-lowdim-predictor-step/config.yaml", "docs/results/pusht-lowdim-v2/kprime/config.yaml"))
            assertEquals("strided", ConfigLoader.fromResolvedYaml(Files.readString(Path.of(run)), run).inference().warmStartMode(), run);
    }
}
