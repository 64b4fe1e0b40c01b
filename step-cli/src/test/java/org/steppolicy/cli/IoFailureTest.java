package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A full disk, a failing device or a permission is the machine's problem: exit 2 with the path and the OS's reason,
 * never "this is a bug in step" (exit 1). The failures are real where the machine allows (/dev/full answers every
 * write with ENOSPC) and built as the writers wrap them otherwise.
 */
class IoFailureTest {
    private record Reported(int code, String err) {}

    private static Reported report(Throwable ex) {
        StringWriter s = new StringWriter();
        int code = StepCli.report(ex, false, new PrintWriter(s, true));
        return new Reported(code, s.toString());
    }

    @Test
    void aFullDiskIsExit2WithThePathAndTheReason() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "no /dev/full");
        IOException enospc = assertThrows(IOException.class, () -> Files.write(full, new byte[1 << 16]));
        // as CheckpointWriter, MetricsLog and the export wrap it
        Reported r = report(new UncheckedIOException("cannot write checkpoint runs/dp/checkpoints/step-0000200: " + enospc.getMessage(), enospc));
        assertEquals(2, r.code(), r.err());
        assertEquals("error: cannot write checkpoint runs/dp/checkpoints/step-0000200: No space left on device", r.err().strip());
        assertEquals(1, r.err().lines().count());
        // the bare exception, wherever it surfaces, still names the reason and is not called a bug
        Reported bare = report(new RuntimeException(enospc));
        assertEquals(2, bare.code(), bare.err());
        assertTrue(bare.err().contains("No space left on device") && !bare.err().contains("bug"), bare.err());
    }

    @Test
    void otherOsFailuresAreExit2AndDefectsStayExit1() {
        for (String reason : new String[] {"Input/output error", "Disk quota exceeded", "Read-only file system", "Permission denied"}) {
            Reported r = report(new UncheckedIOException("cannot write metrics runs/dp/metrics.csv: " + reason, new IOException(reason)));
            assertEquals(2, r.code(), r.err());
            assertEquals("error: cannot write metrics runs/dp/metrics.csv: " + reason, r.err().strip());
        }
        Reported bug = report(new IllegalStateException("an invariant broke"));
        assertEquals(1, bug.code());
        assertTrue(bug.err().contains("this is a bug in step"), bug.err());
        Reported io = report(new UncheckedIOException(new IOException("some library's complaint")));
        assertEquals(1, io.code(), "an IOException that is no OS failure stays a defect");
    }

    @Test
    void anErrorLineIsBoundedHoweverLongItsMessage() {
        Reported r = report(new org.steppolicy.config.UserError("x".repeat(3_000_000)));
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count());
        assertTrue(r.err().length() < 2100 && r.err().contains("more characters"), r.err().length() + " characters");
    }
}
