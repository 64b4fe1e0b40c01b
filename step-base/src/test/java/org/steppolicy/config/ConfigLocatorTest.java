package org.steppolicy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLocatorTest {

    @Test
    void bareNameIsTheWorkingDirectorysFirstThenTheProjects(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home/configs")).getParent();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(home.resolve("configs/square.yaml"), "task:\n  name: square\n");
        assertEquals(home.resolve("configs/square.yaml"), ConfigLocator.locate(Path.of("square.yaml"), work, home));

        Files.writeString(work.resolve("square.yaml"), "task:\n  name: mine\n");
        assertEquals(Path.of("square.yaml"), ConfigLocator.locate(Path.of("square.yaml"), work, home));
        // a relative path with folders is tried under the project root too
        assertEquals(home.resolve("configs/square.yaml"), ConfigLocator.locate(Path.of("configs/square.yaml"), work, home));
    }

    @Test
    void notFoundIsOneLineNamingBothPlaces(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home/configs")).getParent();
        Path work = Files.createDirectories(tmp.resolve("work"));
        UserError e = assertThrows(UserError.class, () -> ConfigLocator.locate(Path.of("nope.yaml"), work, home));
        assertTrue(e.getMessage().startsWith("nope.yaml: no such config file"), e.getMessage());
        assertTrue(e.getMessage().contains(work.toString()) && e.getMessage().contains(home.resolve("configs").toString()),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        UserError noHome = assertThrows(UserError.class, () -> ConfigLocator.locate(Path.of("nope.yaml"), work, null));
        assertTrue(noHome.getMessage().contains("step.home"), noHome.getMessage());
    }

    @Test
    void projectHomeIsFoundFromTheBuildAndLoadUsesIt() {
        assertTrue(ConfigLocator.projectHome().isPresent(), "tests run from the source tree");
        assertTrue(Files.isDirectory(ConfigLocator.projectHome().get().resolve("configs")));
        // the working directory of the tests is the project root, so this is found there; the bare name via configs/
        StepConfig c = ConfigLoader.load(Path.of("square.yaml"), List.of());
        assertEquals("square", c.task().name());
        assertTrue(c.provenance().file().endsWith("configs/square.yaml"), c.provenance().file());
    }
}
