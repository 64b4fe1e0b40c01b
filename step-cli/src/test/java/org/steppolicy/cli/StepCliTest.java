package org.steppolicy.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

class StepCliTest {

    record Result(int code, String out, String err) {}

    /** A command line: the command words, then shared options, then the test's own arguments. */
    static String[] args(String[] head, String[] shared, String... tail) {
        String[] a = new String[head.length + shared.length + tail.length];
        System.arraycopy(head, 0, a, 0, head.length);
        System.arraycopy(shared, 0, a, head.length, shared.length);
        System.arraycopy(tail, 0, a, head.length + shared.length, tail.length);
        return a;
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = StepCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsSubcommands() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("config"), r.out());
    }

    @Test
    void unknownOverrideIsOneLineExit2() {
        Result r = run("config", "--config", "configs/pusht.yaml", "training.batchsize=3");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("did you mean 'training.batch_size'"), r.err());
    }

    @Test
    void missingDatasetSaysWhereItComesFromExit2() {
        Result r = run("train-dp", "--config", "square.yaml", "--data", "no/such/low_dim_abs.hdf5", "--max-steps", "1");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("no such dataset file") && r.err().contains("robomimic") && r.err().contains("--data FILE"),
                r.err());
    }

    @Test
    void missingConfigIsOneLineExit2() {
        Result r = run("config", "--config", "configs/nope.yaml");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: configs/nope.yaml"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
    }
}
