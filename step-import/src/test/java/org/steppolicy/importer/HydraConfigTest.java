package org.steppolicy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.steppolicy.config.UserError;

/** diffusion_policy's unresolved config values resolve as Hydra resolves them. */
class HydraConfigTest {

    private static HydraConfig cfg(boolean global) {
        return new HydraConfig(Map.of(
                "n_obs_steps", 2, "n_action_steps", 8, "n_latency_steps", 0, "obs_as_local_cond", false, "obs_as_global_cond", global,
                "name", "train", "task", Map.of("obs_dim", 20, "action_dim", 2, "name", "pusht_lowdim"),
                "policy", Map.of(
                        "n_obs_steps", "${n_obs_steps}",
                        "n_action_steps", "${eval:'${n_action_steps}+${n_latency_steps}'}",
                        "sibling", "${.n_obs_steps}",
                        "model", Map.of(
                                "input_dim", "${eval: ${task.action_dim} if ${obs_as_local_cond} or ${obs_as_global_cond} else ${task.obs_dim} + ${task.action_dim}}",
                                "global_cond_dim", "${eval: ${task.obs_dim}*${n_obs_steps} if ${obs_as_global_cond} else None}",
                                "down_dims", List.of(16, 32, 40),
                                "up", "${..n_obs_steps}")),
                "logging", Map.of("name", "${now:%Y.%m.%d}_${name}", "tags", List.of("${name}", "${task.name}"))));
    }

    @Test
    void referencesAndEvalExpressions() {
        HydraConfig g = cfg(true), inpaint = cfg(false);
        assertEquals(2, g.integer("policy.n_obs_steps"));
        assertEquals(8, g.integer("policy.n_action_steps"));
        assertEquals(2, g.integer("policy.model.input_dim"));
        assertEquals(22, inpaint.integer("policy.model.input_dim"));
        assertEquals(40, g.integer("policy.model.global_cond_dim"));
        assertNull(inpaint.get("policy.model.global_cond_dim"));
        assertEquals(List.of(16, 32, 40), g.integers("policy.model.down_dims"));
        assertEquals(2, g.integer("policy.sibling"));
        assertEquals(2, g.integer("policy.model.up"));
        assertEquals(List.of("train", "pusht_lowdim"), g.get("logging.tags"));
        assertTrue(g.bool("absent.key", true));
        UserError now = assertThrows(UserError.class, () -> g.get("logging.name"));
        assertTrue(now.getMessage().contains("'now'"), now.getMessage());
    }

    @Test
    void expressionsStayInsideTheirSubset() {
        assertEquals(7L, PyExpression.eval("1 + 2 * 3"));
        assertEquals(3L, PyExpression.eval("7 // 2"));
        assertEquals(3.5, PyExpression.eval("7 / 2"));
        assertEquals(8L, PyExpression.eval("2 ** 3"));
        assertEquals(-1L, PyExpression.eval("-(1)"));
        assertEquals("b", PyExpression.eval("'a' if 1 > 2 else 'b'"));
        assertEquals(true, PyExpression.eval("not None and 3 >= 3"));
        assertEquals(List.of(1L, 2L), PyExpression.eval("[1, 2]"));
        assertThrows(IllegalArgumentException.class, () -> PyExpression.eval("__import__('os').system('ls')"));
        assertThrows(IllegalArgumentException.class, () -> PyExpression.eval("open('/etc/passwd')"));
        assertThrows(IllegalArgumentException.class, () -> PyExpression.eval("1 +"));
    }
}
