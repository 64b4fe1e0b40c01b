package org.steppolicy.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code step} command that ends with an exit code. It prints through its command line's writers, not
 * System.out/err, so {@link StepCli#run} and the tests choose where the output goes.
 */
public abstract class StepCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    /** The command line's stdout. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** {@code text} on stdout, flushed at once: a result line shows before whatever runs next. */
    protected void print(String text) {
        out().print(text);
        out().flush();
    }

    /** As {@link #print}, a formatted line. */
    protected void printf(String format, Object... args) {
        print(String.format(format, args));
    }
}
