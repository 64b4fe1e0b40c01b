package org.steppolicy.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.steppolicy.run.RunLock;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while training: the first asks the loop to finish its step, write a checkpoint and
 * stop (the CLI then exits 130); a second one exits at once, with exit code 130. The JVM's own handlers would exit
 * mid-step and lose everything since the last checkpoint. The previous handlers come back on {@link #close()}.
 */
public final class StopSignal implements AutoCloseable, BooleanSupplier {
    /** Exit code of an interrupted run (128 + SIGINT), as shells report Ctrl-C. */
    public static final int EXIT_CODE = 130;

    private volatile boolean requested;
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final PrintStream out;
    private final String first;
    private final String second;

    private StopSignal(PrintStream out, String first, String second) {
        this.out = out;
        this.first = first;
        this.second = second;
    }

    /** Installs the handlers where the platform allows (else the signals keep the JVM's default behaviour). */
    public static StopSignal install(PrintStream out) {
        return install(out, "finishing this step and writing a checkpoint (again to stop at once)", "no checkpoint for the current step");
    }

    /**
     * As {@link #install(PrintStream)}, saying {@code first} after the signal's name on the first signal (what the
     * run does now) and {@code second} on a second one (what is lost), e.g. for an evaluation.
     */
    public static StopSignal install(PrintStream out, String first, String second) {
        StopSignal s = new StopSignal(out, first, second);
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal sig = new Signal(name);
                SignalHandler before = Signal.handle(sig, s::handle);
                s.previous.add(before);
                s.signals.add(sig);
                // A signal ignored at start (nohup, or `&` in a script) stays ignored: the JVM installs no handler.
                if (before == SignalHandler.SIG_IGN && name.equals("INT") && out != null)
                    out.println("SIGINT (Ctrl-C) is ignored in this process (started in the background); kill -TERM "
                            + ProcessHandle.current().pid() + " does what it would: " + first);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // signal unknown here or reserved by the JVM (-Xrs): the default behaviour stays
            }
        }
        return s;
    }

    private void handle(Signal sig) {
        if (requested) {
            if (out != null) out.println("\nstopping now (second " + sig.getName() + "): " + second);
            RunLock.releaseAll();                          // halt skips shutdown hooks
            Runtime.getRuntime().halt(EXIT_CODE);
        }
        requested = true;
        if (out != null) {
            out.println("\n" + sig.getName() + ": " + first);
            out.flush();
        }
    }

    /** True once a stop was requested. */
    @Override
    public boolean getAsBoolean() { return requested; }

    /** For tests and embedding: the same as receiving the first signal, without a message. */
    public void request() { requested = true; }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) Signal.handle(signals.get(i), previous.get(i));
    }
}
