package org.steppolicy.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;

class RunFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aLiveLockRefusesASecondClaimAndIsReleasedOnClose() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunFolder first = RunFolder.claim(dir, RunFolder.Kind.TRAINING, false, false)) {
            assertTrue(Files.readString(dir.resolve(RunLock.FILE)).contains("pid=" + ProcessHandle.current().pid()));
            UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, RunFolder.Kind.TRAINING, false, false));
            assertTrue(e.getMessage().startsWith("--out " + dir + " is in use by process " + ProcessHandle.current().pid()), e.getMessage());
            first.writeText("config.yaml", "x");
        }
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)));
        UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, RunFolder.Kind.EVALUATION, false, false));
        assertEquals("--out " + dir + " already holds an unfinished run (config.yaml): replace it with --force or choose another --out", e.getMessage());
    }

    @Test
    void aStaleLockIsTakenOver() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        // a pid that is not running (pid_max is far below this) left its lock behind
        Files.writeString(dir.resolve(RunLock.FILE), "pid=999999999\nprocess_start=\nacquired=2020-01-01T00:00:00Z\nhost=\ntoken=t\n");
        try (RunFolder f = RunFolder.claim(dir, RunFolder.Kind.TRAINING, false, false)) {
            assertTrue(Files.readString(dir.resolve(RunLock.FILE)).contains("pid=" + ProcessHandle.current().pid()));
        }
    }

    @Test
    void forceDeletesOnlyRunFilesAndAFailedClaimLeavesNothing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.createDirectories(dir.resolve("checkpoints/step-0000002"));
        Files.writeString(dir.resolve("checkpoints/step-0000002/meta.json"), "{\"kind\": \"dp\", \"step\": 2}");
        Files.writeString(dir.resolve("metrics.csv"), "x");
        UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, RunFolder.Kind.TRAINING, false, false));
        assertTrue(e.getMessage().contains("already holds a dp training run with checkpoints up to step 2: continue it with --resume"), e.getMessage());
        try (RunFolder f = RunFolder.claim(dir, RunFolder.Kind.TRAINING, true, false)) {
            try (var s = Files.list(dir)) {
                assertEquals(1, s.count(), "only the lock is left");
            }
        }
        Path fresh = tmp.resolve("fresh");
        RunFolder.claim(fresh, RunFolder.Kind.EXPORT, false, false).close();
        assertFalse(Files.exists(fresh), "a folder the claim created and nothing was written to is removed");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals("--out " + file + " is a file; give a folder (new or empty)",
                assertThrows(UserError.class, () -> RunFolder.claim(file, RunFolder.Kind.EXPORT, false, false)).getMessage());
    }
}
