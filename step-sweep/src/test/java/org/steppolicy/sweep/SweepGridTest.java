package org.steppolicy.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.UserError;

class SweepGridTest {
    private static final Path FILE = Path.of("grid.yaml");

    @Test
    void readsEveryFormOfEntry() {
        SweepGrid g = SweepGrid.parse(FILE, """
                policies:
                  - models/pusht-lowdim
                  - {path: runs/dp, name: small, predictors: [runs/pred-step]}
                methods:
                  - step:2
                  - {method: step:2, inference: {eps_a: 0.02}}
                  - {method: ddim:4, label: DDIM four}
                seeds:
                  - {seed: 100000, episodes: 50}
                  - {seed: 100050, episodes: 25}
                """);
        assertEquals(List.of("pusht-lowdim", "small"), g.policies().stream().map(SweepGrid.Policy::name).toList());
        assertEquals(List.of(Path.of("runs/pred-step")), g.policies().get(1).predictors());
        assertEquals(List.of("step:2", "step:2 eps_a=0.02", "DDIM four"), g.methods().stream().map(SweepGrid.Method::label).toList());
        assertEquals(List.of("inference.eps_a=0.02"), g.methods().get(1).overrides());
        assertEquals(75, g.episodesPerCell());
        assertEquals(6, g.cells().size());
        assertEquals("DDIM four @ small", g.cells().get(5).label());
    }

    @Test
    void refusesMistakesInOneLineNamingTheEntry() {
        String base = "policies: [models/pusht-lowdim]\nmethods: [step:2]\n";
        assertRefused(base + "seeds: [{seed: 1, episodes: 2, extra: 3}]", "grid.yaml: seeds[0]: unknown key 'extra' (expected episodes, seed)");
        assertRefused(base + "seeds: [{seed: 1, episodes: 4}, {seed: 3, episodes: 2}]", "grid.yaml: seeds[1]: seeds 3..4 overlap");
        assertRefused(base + "seeds: [{seed: 1, episodes: 0}]", "grid.yaml: seeds[0].episodes: 0 is out of range");
        assertRefused("policies: [models/pusht-lowdim]\nmethods: [stpe:2]\nseeds: [{seed: 1, episodes: 1}]", "grid.yaml: methods[0]: ");
        assertRefused("policies: [models/pusht-lowdim]\nmethods: [step:2, step:2]\nseeds: [{seed: 1, episodes: 1}]",
                "grid.yaml: methods[1]: a second method labelled 'step:2'");
        assertRefused("policies: []\nmethods: [step:2]\nseeds: [{seed: 1, episodes: 1}]", "grid.yaml: 'policies' must be a non-empty list");
        assertRefused("polices: [a]", "grid.yaml: the grid: unknown key 'polices'");
    }

    @Test
    void anUnknownInferenceKeyNamesTheGridEntry() {
        SweepGrid g = SweepGrid.parse(FILE, "policies: [models/pusht-lowdim]\nmethods: [{method: step:2, inference: {eps_b: 1}}]\n"
                + "seeds: [{seed: 1, episodes: 1}]");
        var c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), List.of());
        UserError e = assertThrows(UserError.class, () -> Sweep.cellConfig(g, g.cells().get(0), c));
        assertTrue(e.getMessage().startsWith("grid.yaml: method 'step:2 eps_b=1': "), e.getMessage());
        assertTrue(e.getMessage().contains("eps_a"), e.getMessage());   // the closest valid key
    }

    private static void assertRefused(String yaml, String start) {
        UserError e = assertThrows(UserError.class, () -> SweepGrid.parse(FILE, yaml));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
