package org.steppolicy.cli;

import org.steppolicy.config.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;

/** The {@code step} command: wiring only; each subcommand calls into its module. */
@Command(name = "step", mixinStandardHelpOptions = true, version = "step 0.1.0",
        description = "STEP for the JVM: train, evaluate and run warm-started diffusion policies.",
        subcommands = {
                ConfigCommand.class,
                DataCommand.class,
                SimCommand.class,
                TrainDpCommand.class,
                TrainPredictorCommand.class,
                EvalCommand.class,
                QuickstartCommand.class,
                ExportOnnxCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                ImportCommand.class,
        })
public final class StepCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code: 0 ok, 2 user error (one line), 1 internal error. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cl = new CommandLine(new StepCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> report(ex, verbose, err));
        return cl.execute(args);
    }

    static int report(Throwable ex, boolean verbose, PrintWriter err) {
        UserError user = userError(ex);
        if (user != null) {
            err.println("error: " + user.getMessage());
            if (verbose) ex.printStackTrace(err);
            err.flush();
            return 2;
        }
        err.println("error: internal failure: " + ex + (verbose ? "" : " (run with --verbose for the stack trace)"));
        if (verbose) ex.printStackTrace(err);
        err.flush();
        return 1;
    }

    private static UserError userError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof UserError u) return u;
        }
        return null;
    }
}
