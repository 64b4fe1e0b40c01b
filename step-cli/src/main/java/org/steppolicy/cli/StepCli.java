package org.steppolicy.cli;

import org.steppolicy.config.UserError;
import org.steppolicy.eval.EvalInterrupted;
import org.steppolicy.run.FileErrors;
import org.steppolicy.run.RunLock;
import org.steppolicy.train.StopSignal;
import org.steppolicy.train.TrainingInterrupted;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;

/** The {@code step} command: wiring only; each subcommand calls into its module. */
@Command(name = "step", mixinStandardHelpOptions = true, version = "step 0.1.0",
        description = "STEP for the JVM: train, evaluate and run warm-started diffusion policies.",
        // step-sweep brings Spark, so it is its own main class; the launcher dispatches `step sweep` to it.
        footer = "%nAlso: `./step sweep --grid FILE ...` evaluates a grid of policies x methods x seed blocks on Apache Spark "
                + "(built on first use; docs/sweep.md).",
        subcommands = {
                ConfigCommand.class,
                DataCommand.class,
                SimCommand.class,
                TrainDpCommand.class,
                TrainPredictorCommand.class,
                TrainBridgerCommand.class,
                EvalCommand.class,
                CurveCommand.class,
                QuickstartCommand.class,
                ExportOnnxCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                ImportCommand.class,
                AnalyzeCommand.class,
        })
public final class StepCli extends CommandGroup {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code: 0 ok, 2 user error (one line), 1 internal error. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(new StepCli(), out, err, args);
    }

    /**
     * Runs a command object of a module above this one (step-sweep's {@code sweep}, which brings Spark and so is not a
     * subcommand here) with this CLI's exit codes, error lines and run-folder release.
     */
    public static int run(Object command, String... args) {
        return run(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(Object, String...)}, printing to {@code out} and {@code err}. */
    public static int run(Object command, PrintWriter out, PrintWriter err, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> report(ex, verbose, err));
        try {
            return cl.execute(args);
        } finally {
            // Output a command printed without a newline (print, not println) would be lost at exit otherwise.
            out.flush();
            err.flush();
            // A command's run folders are released when it ends, however it ends (the lock files go with them).
            RunLock.releaseHeldBy(Thread.currentThread());
        }
    }

    /** Exit codes: 0 ok, 2 user error (input: files, folders, permissions, values), 130 interrupted, 1 program defect. */
    static int report(Throwable ex, boolean verbose, PrintWriter err) {
        TrainingInterrupted stopped = find(ex, TrainingInterrupted.class);
        if (stopped != null) {
            err.println(stopped.getMessage());
            err.flush();
            return StopSignal.EXIT_CODE;
        }
        EvalInterrupted evalStopped = find(ex, EvalInterrupted.class);
        if (evalStopped != null) {
            err.println(evalStopped.getMessage());
            err.flush();
            return StopSignal.EXIT_CODE;
        }
        UserError user = find(ex, UserError.class);
        // A full disk, a failing device or a permission is the machine's problem, with its path and the OS's reason.
        String io = user == null ? FileErrors.osFailure(ex) : null;
        if (user != null || io != null) {
            err.println("error: " + oneLine(user != null ? user.getMessage() : io));
            if (verbose) ex.printStackTrace(err);
            err.flush();
            return 2;
        }
        err.println("error: internal failure: " + oneLine(String.valueOf(ex)) + "; this is a bug in step, please report it (README, "
                + "'Reporting a bug')" + (verbose ? "" : " with the output of --verbose"));
        if (verbose) ex.printStackTrace(err);
        err.flush();
        return 1;
    }

    /** The most an error line holds: a message quoting a crafted input must not flood the terminal. */
    static final int MAX_LINE = 2000;

    /** User errors are one line: parser and library messages can span several. */
    static String oneLine(String s) {
        String line = s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "... (" + (line.length() - MAX_LINE) + " more characters)";
    }

    private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }
}
