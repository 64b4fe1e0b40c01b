package org.steppolicy.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The command's stderr writer as the PrintStream the libraries report progress, warnings and notes on: from
 * {@code ./step} it is System.err; in-process (tests, embedding) it is whatever writer the caller gave StepCli.
 */
final class ErrStream {
    private ErrStream() {}

    static PrintStream of(PrintWriter err) {
        OutputStream bytes = new OutputStream() {
            private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

            @Override public void write(int b) { buf.write(b); }

            @Override public void write(byte[] b, int off, int len) { buf.write(b, off, len); }

            // Whole writes are decoded at once, so multi-byte characters are never split.
            @Override public void flush() {
                err.write(buf.toString(StandardCharsets.UTF_8));
                err.flush();
                buf.reset();
            }
        };
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
