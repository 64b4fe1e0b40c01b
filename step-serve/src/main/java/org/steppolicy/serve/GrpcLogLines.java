package org.steppolicy.serve;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * grpc's own log records (java.util.logging under {@code io.grpc}) as one line each: an oversized message or a
 * client that hangs up is routine for a server, and grpc logged each with a ~38-line stack trace. The line keeps
 * the level, the logger's class, the message and the exception's own message; {@code --verbose} is the place for
 * traces. Logging is configured per JVM, so this is installed once and kept (a logger held only weakly could be
 * collected with its handler).
 */
final class GrpcLogLines extends Handler {
    private static final Logger GRPC = Logger.getLogger("io.grpc");
    static final int MAX_LINE = 500;

    private GrpcLogLines() {}

    /** Routes io.grpc's records through one-line output on standard error (idempotent). */
    static synchronized void install() {
        for (Handler h : GRPC.getHandlers()) if (h instanceof GrpcLogLines) return;
        GRPC.setUseParentHandlers(false);
        GRPC.addHandler(new GrpcLogLines());
    }

    /** One line: "grpc WARNING NettyServerStream: Exception processing message: RESOURCE_EXHAUSTED: ...". */
    static String line(LogRecord r) {
        String logger = r.getLoggerName() == null ? "" : r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1);
        String text = "grpc " + r.getLevel() + " " + logger + ": " + r.getMessage()
                + (r.getThrown() == null ? "" : ": " + r.getThrown());
        text = text.replaceAll("\\s*\\R\\s*", " ").trim();
        return text.length() <= MAX_LINE ? text : text.substring(0, MAX_LINE) + "...";
    }

    @Override
    public void publish(LogRecord r) {
        if (r == null || r.getLevel().intValue() < Level.INFO.intValue()) return;
        System.err.println(line(r));
    }

    @Override
    public void flush() {
        System.err.flush();
    }

    @Override
    public void close() {
        // System.err stays open
    }
}
