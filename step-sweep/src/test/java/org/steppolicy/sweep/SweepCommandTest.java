package org.steppolicy.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.cli.StepCli;

/** `step sweep` as the launcher runs it: the step CLI's exit codes and one-line errors, before Spark starts. */
class SweepCommandTest {
    @Test
    void aMistakeInTheGridIsOneLineExit2AndWritesNothing(@TempDir Path tmp) throws Exception {
        Path grid = tmp.resolve("grid.yaml");
        Files.writeString(grid, "policies: [models/pusht-lowdim]\nmethods: [step:2]\nseeds: [{seed: 1, episodes: 2, extra: 1}]\n");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = StepCli.run(new SweepCommand(), new PrintWriter(out, true), new PrintWriter(err, true),
                "--grid", grid.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(2, code);
        assertEquals("error: " + grid + ": seeds[0]: unknown key 'extra' (expected episodes, seed)", err.toString().strip());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aMissingPolicyFolderIsOneLineExit2(@TempDir Path tmp) throws Exception {
        Path grid = tmp.resolve("grid.yaml");
        Files.writeString(grid, "policies: [" + tmp.resolve("none") + "]\nmethods: [step:2]\nseeds: [{seed: 1, episodes: 2}]\n");
        StringWriter err = new StringWriter();
        int code = StepCli.run(new SweepCommand(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "--grid", grid.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(2, code);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
