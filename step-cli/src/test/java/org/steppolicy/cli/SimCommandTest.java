package org.steppolicy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SimCommandTest {
    record Result(int code, String out, String err) {}

    /** Runs {@code step sim ...} with StepCli's error reporting (the lead registers SimCommand in StepCli). */
    static Result sim(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        PrintWriter errW = new PrintWriter(err, true);
        CommandLine cl = new CommandLine(new SimCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(errW);
        cl.setExecutionExceptionHandler((ex, line, parse) -> StepCli.report(ex, false, errW));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void benchPrintsARate() {
        Result r = sim("bench", "--steps", "300");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("env steps/s"), r.out());
    }

    @Test
    void missingFileIsOneLineExit2(@TempDir Path dir) {
        Result r = sim("replay", "--data", dir.resolve("none.hdf5").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("none.hdf5"), r.err());
    }

    @Test
    void replayAndRenderTheOfficialData(@TempDir Path dir) throws Exception {
        Path data = Path.of(SimCommand.DEFAULT_DATA);
        assumeTrue(Files.exists(data), data + " is absent: skipping");
        Path gif = dir.resolve("demo3.gif");
        Result r = sim("render", "--data", data.toString(), "--demo", "3", "--out", gif.toString(), "--size", "96");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(gif) > 10_000, "GIF size " + Files.size(gif));
        Result bad = sim("render", "--data", data.toString(), "--demo", "999", "--out", gif.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("no demo 999"), bad.err());
    }

    @Test
    void renderCheckOnTwoDemosWritesJson(@TempDir Path dir) throws Exception {
        Path data = Path.of(SimRenderCheckCommand.DEFAULT_IMAGE_DATA);
        assumeTrue(Files.exists(data), data + " is absent: skipping");
        Path json = dir.resolve("rc/render.json");
        Result r = sim("render-check", "--data", data.toString(), "--demos", "2", "--json", json.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("of 2 demos") && r.out().contains(": met"), r.out());
        assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("meets_bar").asBoolean());
        Result lowdim = sim("render-check", "--data", SimCommand.DEFAULT_DATA, "--demos", "1");
        assertEquals(2, lowdim.code(), lowdim.err());
        assertTrue(lowdim.err().contains("image"), lowdim.err());
    }
}
