package org.steppolicy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** defaults.yaml is the documented list of config keys: every key carries its one-line comment. */
class DefaultsDocumentedTest {
    @Test
    void everyKeyHasItsComment() throws IOException {
        String text;
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> undocumented = text.lines().filter(l -> l.matches("^\\s*[a-z_]+:.*")).filter(l -> !l.contains(" # ")).toList();
        assertEquals(List.of(), undocumented);
    }

    @Test
    void commentsStayOutOfTheValues() {
        // YAML needs a space before '#': without it the comment would become part of the value
        StepConfig c = ConfigLoader.defaults(List.of());
        assertTrue(c.task().dataset().endsWith(".hdf5"), c.task().dataset());
        assertEquals("ddpm:100,ddim:2,dpmsolver:2,spatial:2,temporal:2,falcon:2,step:2,predictor:0", c.eval().methods());
    }
}
