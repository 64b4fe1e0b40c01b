package org.steppolicy.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.steppolicy.models.DiffusionSchedule;

class MethodSpecTest {
    @Test
    void parsesTheIssueCommandLine() {
        List<MethodSpec> specs = MethodSpec.parseList("ddpm:100,ddim:2,dpmsolver:2,spatial:2,temporal:2,step:2,predictor,falcon:2,bridger:2");
        assertEquals(9, specs.size());
        assertEquals(2, specs.get(8).steps());
        assertEquals("bridger", specs.get(8).method().predictorKind());
        assertEquals(List.of(Method.values()).size(), specs.stream().map(MethodSpec::method).distinct().count());
        MethodConfig ddpm = specs.get(0).config();
        assertEquals(SolverKind.DDPM, ddpm.solver());
        assertEquals(100, ddpm.steps());
        assertEquals(100, ddpm.timesteps(DiffusionSchedule.diffusionPolicy()).length);
        MethodConfig dpm = specs.get(2).config();
        assertEquals(SolverKind.DPMSOLVER, dpm.solver());
        assertEquals(99, dpm.timesteps(DiffusionSchedule.diffusionPolicy())[0]);
        MethodConfig step = specs.get(5).config();
        assertEquals("step:2", step.label());
        assertEquals(SolverKind.DDIM, step.solver());
        assertEquals(WarmStartMode.STRIDED, step.warmStart().mode());
        assertTrue(step.perturbation().enabled());
        assertFalse(specs.get(3).config().perturbation().enabled(), "BRIDGER-style: no perturbation");
        assertFalse(specs.get(4).config().perturbation().enabled(), "Falcon-style: no perturbation");
        assertEquals(0, specs.get(6).config().steps());
    }

    @Test
    void optionsSelectSolverModeAndPerturbation() {
        MethodConfig c = MethodSpec.parse("Step:4:DPMSolver:fine:noperturb").config();
        assertEquals(SolverKind.DPMSOLVER, c.solver());
        assertEquals(WarmStartMode.FINE, c.warmStart().mode());
        assertFalse(c.perturbation().enabled());
        assertEquals(4, c.timesteps(DiffusionSchedule.diffusionPolicy()).length);
        assertTrue(MethodSpec.parse("temporal:2:perturb").config().perturbation().enabled());
    }

    @Test
    void anEntryTimestepMovesWhereTheStridedWarmStartEnters() {
        DiffusionSchedule s = DiffusionSchedule.diffusionPolicy();
        assertArrayEquals(new int[] {50, 0}, MethodSpec.parse("step:2").config().timesteps(s));
        assertArrayEquals(new int[] {30, 0}, MethodSpec.parse("step:2:t30").config().timesteps(s));
        assertArrayEquals(new int[] {90, 0}, MethodSpec.parse("temporal:2:t90").config().timesteps(s));
        assertArrayEquals(new int[] {60, 50, 25, 0}, MethodSpec.parse("spatial:4:t60").config().timesteps(s));
        assertArrayEquals(new int[] {10, 0}, MethodSpec.parse("step:2:t10").config().timesteps(s));
        // step:4:t10 would run 10, 0: two calls under a label that says four (KPrimeTest)
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("step:4:t10").config().timesteps(s));
        assertEquals("step:2:t30", MethodSpec.parse("step:2:t30").label(), "the label says where it enters");
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("ddim:2:t30"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("step:2:fine:t30"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("step:2:t100").config().timesteps(s));
    }

    @Test
    void badSpecsSayWhatIsWrong() {
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("ddim"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("ddim:0"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("ddim:x"));
        // bridger:K is BRIDGeR's own model (docs/bridger.md): K steps, no solver or warm-start options
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("bridger"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("bridger:2:ddim"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("ddim:2:fine"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("step:2:euler"));
        assertTrue(e.getMessage().contains("euler"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parseList(" , "));
    }
}
