package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StopSignalTest {
    /** Installs the handlers in a fresh JVM and exits: what a run prints at its start. */
    public static void main(String[] args) {
        try (StopSignal s = StopSignal.install(System.out)) {
            System.out.println("installed");
        }
    }

    /** The probe's output, started by bash with {@code trap} (e.g. {@code trap "" INT}: as nohup and `&` leave it). */
    private static String probe(String trap) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", trap + "; exec \"$0\" -cp \"$1\" " + StopSignalTest.class.getName(),
                java, System.getProperty("java.class.path")).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aRunThatCannotSeeCtrlCSaysHowToStopIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
        String ignored = probe("trap '' INT");
        assertTrue(ignored.contains("SIGINT (Ctrl-C) is ignored in this process") && ignored.contains("kill -TERM "), ignored);
        assertTrue(ignored.contains("installed"), ignored);
        // a shell that was itself started ignoring SIGINT cannot un-ignore it (POSIX), so only where this JVM sees it
        if (!sigintIgnoredHere()) {
            String usual = probe("trap - INT");
            assertFalse(usual.contains("ignored"), usual);
        }
    }

    /** Linux: bit 1 (SIGINT) of this JVM's SigIgn mask; false where it cannot be read. */
    private static boolean sigintIgnoredHere() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2L) != 0;
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux
        }
        return false;
    }
}
