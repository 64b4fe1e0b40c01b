package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;
import picocli.CommandLine;

class DataCommandTest {
    static final Path LOWDIM = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5");
    static final Path ZARR = Path.of("../shared/data/pusht/pusht_cchi_v7_replay.zarr");

    @TempDir Path dir;
    final StringWriter out = new StringWriter(), err = new StringWriter();

    /** The data command as StepCli will host it: a user error prints its one line and exits 2. */
    private int run(String... args) {
        CommandLine cl = new CommandLine(new DataCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (!(ex instanceof UserError)) throw ex;
            c.getErr().println(ex.getMessage());
            c.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    @Test
    void infoOnTheOfficialFile() {
        assumeTrue(Files.exists(LOWDIM), "official Push-T data absent: skipped");
        assertEquals(0, run("info", LOWDIM.toString()), err.toString());
        assertTrue(out.toString().contains("demos: 206"), out.toString());
        assertTrue(out.toString().contains("steps: 25650"), out.toString());
    }

    @Test
    void infoOnANonHdf5FileIsOneLineUserError() throws Exception {
        Path f = Files.writeString(dir.resolve("notes.txt"), "not hdf5");
        assertEquals(2, run("info", f.toString()));
        assertEquals(f + ": /: not an HDF5 file (no HDF5 signature)\n", err.toString());
    }

    @Test
    void convertZarrWritesTheFile() {
        assumeTrue(Files.isDirectory(ZARR), "official Push-T zarr absent: skipped");
        Path o = dir.resolve("p.hdf5");
        assertEquals(0, run("convert-zarr", ZARR.toString(), o.toString()), err.toString());
        assertTrue(Files.exists(o));
        assertTrue(out.toString().contains("206 demos, 25650 steps, valid demo_18, demo_90, demo_134, demo_157"));
    }

    @Test
    void helpAndMissingArguments() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("convert-zarr") && out.toString().contains("info"), out.toString());
        assertEquals(2, run("info"));          // picocli's usage error code
        assertTrue(err.toString().contains("Missing required parameter"), err.toString());
    }
}
