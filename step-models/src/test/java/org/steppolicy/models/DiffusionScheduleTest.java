package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiffusionScheduleTest {
    private static final Path TABLE = Path.of("../shared/data/reference/ddpm_squaredcos_cap_v2_T100.txt");

    @Test
    void keyValuesOfSection_B3() {
        DiffusionSchedule s = DiffusionSchedule.diffusionPolicy();
        assertEquals(100, s.steps());
        assertEquals(6.3128e-4f, s.beta(0), 1e-8f);
        assertEquals(0.999f, s.beta(99), 0f);
        assertEquals(0.99936873f, s.alphaCumprod(0), 1e-8f);
        assertEquals(2.4285e-7f, s.alphaCumprod(99), 1e-11f);
    }

    @Test
    void matchesReferenceTable() throws IOException {
        assumeTrue(Files.exists(TABLE), "reference table absent: " + TABLE);
        DiffusionSchedule s = DiffusionSchedule.diffusionPolicy();
        List<String> lines = Files.readAllLines(TABLE);
        int rows = 0;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.trim().split("\\s+");
            int t = Integer.parseInt(f[0]);
            float beta = Float.parseFloat(f[1]);
            float acp = Float.parseFloat(f[3]);
            // The table prints 9 significant digits: enough to pin float32 exactly, allow one ulp for printing.
            assertEquals(beta, s.beta(t), Math.ulp(beta), "beta " + t);
            assertEquals(acp, s.alphaCumprod(t), Math.ulp(acp), "alphas_cumprod " + t);
            rows++;
        }
        assertEquals(100, rows);
    }
}
