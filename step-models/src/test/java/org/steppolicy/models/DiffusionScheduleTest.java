package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiffusionScheduleTest {
    private static final Path REFERENCE = Path.of("../shared/data/reference/ddpm_squaredcos_cap_v2_T100.txt");

    @Test
    void everyRowEqualsTheFloat32ReferenceTable() throws IOException {
        assumeTrue(Files.exists(REFERENCE), "reference table absent: " + REFERENCE.toAbsolutePath());
        DiffusionSchedule s = DiffusionSchedule.diffusionPolicy();
        List<String> rows = Files.readAllLines(REFERENCE).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertEquals(100, rows.size());
        for (String row : rows) {
            String[] f = row.trim().split("\\s+");
            int t = Integer.parseInt(f[0]);
            // 9 significant digits round-trip a float32 exactly, so equality is bit equality.
            assertEquals(Float.parseFloat(f[1]), s.beta(t), 0f, "beta " + t);
            assertEquals(Float.parseFloat(f[2]), s.alpha(t), 0f, "alpha " + t);
            assertEquals(Float.parseFloat(f[3]), s.alphaCumprod(t), 0f, "alphas_cumprod " + t);
            assertEquals(Float.parseFloat(f[4]), s.posteriorVariance(t), 0f, "posterior variance " + t);
        }
    }

    @Test
    void keyValuesOfTheDocument() {
        DiffusionSchedule s = DiffusionSchedule.diffusionPolicy();
        assertEquals(100, s.steps());
        assertEquals(6.3128e-4, s.beta(0), 1e-8);
        assertEquals(0.749939, s.beta(98), 1e-6);
        assertEquals(0.999f, s.beta(99), 0f);
        assertEquals(0.99936873, s.alphaCumprod(0), 1e-8);
        assertEquals(2.4285e-7, s.alphaCumprod(99), 1e-11);
        assertEquals(1f, s.alphaCumprod(-1), 0f);
        assertEquals(4.0349e-4, s.posteriorVariance(1), 1e-8);
        assertEquals(0.998758, s.posteriorVariance(99), 1e-6);
    }
}
