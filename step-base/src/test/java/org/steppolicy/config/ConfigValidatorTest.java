package org.steppolicy.config;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranges are checked when a config resolves; duplicate keys and extends cycles are named. */
class ConfigValidatorTest {

    private static String refused(String... overrides) {
        UserError e = assertThrows(UserError.class, () -> ConfigLoader.load(Path.of("configs/pusht-small.yaml"), List.of(overrides)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void everyDefaultKeyHasARule() {
        List<String> keys = new ArrayList<>();
        collect(ConfigLoader.defaults(List.of()).tree(), "", keys);
        for (String k : keys) assertTrue(ConfigValidator.keys().contains(k), "no range rule for " + k);
    }

    private static void collect(JsonNode n, String prefix, List<String> out) {
        n.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) collect(e.getValue(), prefix + e.getKey() + ".", out);
            else out.add(prefix + e.getKey());
        });
    }

    @Test
    void outOfRangeValuesNameKeyValueAndRange() {
        assertEquals("config: training.batch_size = 1.5 is not allowed (allowed: an integer >= 1)", refused("training.batch_size=1.5"));
        assertTrue(refused("training.batch_size=0").startsWith("config: training.batch_size = 0 "));
        assertTrue(refused("training.max_steps=0").contains("training.max_steps = 0 is not allowed (allowed: null or an integer >= 1)"));
        assertTrue(refused("training.lr=-1e-4").contains("training.lr = -1.0E-4 is not allowed (allowed: a number > 0)"));
        assertTrue(refused("eval.episodes=0").contains("eval.episodes"));
        assertTrue(refused("inference.runtime=cuda").contains("(allowed: one of onnx, samediff)"));
        assertTrue(refused("task.val_ratio=1").contains("a number in [0, 1)"));
        assertTrue(refused("task.n_action_steps=16").contains("exceeds task.horizon = 16"));
        assertTrue(refused("policy.n_groups=3").contains("not divisible by policy.n_groups = 3"));
        // sizes are bounded above too: they size every buffer and layer (issue 21: horizon 1e9 ended in OutOfMemoryError)
        assertTrue(refused("task.horizon=1000000000").contains("task.horizon = 1000000000 is not allowed (allowed: an integer in [1, 4096])"));
        assertTrue(refused("policy.down_dims=[64, 100000]").contains("policy.down_dims"));
        assertTrue(refused("task.obs_dim=2147483647").contains("task.obs_dim"));
        // 2.0 is an integer written as a float: accepted
        assertEquals(2, ConfigLoader.load(Path.of("configs/pusht-small.yaml"), List.of("training.batch_size=2.0")).training().batchSize());
    }

    @Test
    void duplicateKeysAreRefused(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("dup.yaml"), "training:\n  batch_size: 4\n  batch_size: 8\n");
        UserError e = assertThrows(UserError.class, () -> ConfigLoader.load(f, List.of()));
        assertTrue(e.getMessage().contains("duplicate key 'batch_size'"), e.getMessage());
    }

    @Test
    void extendsCycleIsNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "extends: b.yaml\n");
        Files.writeString(dir.resolve("b.yaml"), "extends: a.yaml\n");
        UserError e = assertThrows(UserError.class, () -> ConfigLoader.load(dir.resolve("a.yaml"), List.of()));
        assertTrue(e.getMessage().endsWith("'extends' forms a cycle: a.yaml -> b.yaml -> a.yaml"), e.getMessage());
    }
}
