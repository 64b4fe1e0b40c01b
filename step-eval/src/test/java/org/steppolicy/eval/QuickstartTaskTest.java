package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.UserError;

/** --task's defaults, the task read back from its own config (what the quickstart run goes by), and its data. */
class QuickstartTaskTest {
    @Test
    void eachTaskNamesItsConfigShippedFolderAndEpisodes() {
        assertEquals(Path.of("home", "models", "pusht-lowdim"), QuickstartTask.LOWDIM.shipped("home"));
        assertEquals(Path.of("models", "pusht-image"), QuickstartTask.IMAGE.shipped(null));
        assertEquals(10, QuickstartTask.LOWDIM.episodes());
        assertTrue(QuickstartTask.IMAGE.episodes() < QuickstartTask.LOWDIM.episodes(), "image closed loop renders frames: fewer episodes");
        for (QuickstartTask t : QuickstartTask.values()) {
            assertTrue(Files.isRegularFile(t.config()), t.config().toString());
            assertEquals(t, QuickstartTask.of(ConfigLoader.load(t.config(), List.of())));
            assertEquals(t, QuickstartTask.parse(" " + t.id().toUpperCase() + " "));
        }
    }

    @Test
    void theImageTaskNeitherReadsStepDataNorDownloads(@TempDir Path dir) {
        Path missing = dir.resolve("pusht_cchi_v7_replay_image.hdf5");
        StringWriter log = new StringWriter();
        UserError e = assertThrows(UserError.class, () -> QuickstartData.resolve(null, dir.resolve("lowdim.hdf5").toString(), missing,
                QuickstartTask.IMAGE, dir.resolve("cache"), new PrintWriter(log)));
        assertTrue(e.getMessage().startsWith("no Push-T image data at " + missing + " "), e.getMessage());
        assertEquals("", log.toString(), "nothing downloaded");
    }

    @Test
    void anUnknownTaskIsOneLineNamingTheChoices() {
        UserError e = assertThrows(UserError.class, () -> QuickstartTask.parse("pixels"));
        assertEquals("--task must be lowdim or image, got 'pixels'", e.getMessage());
    }
}
