package org.steppolicy.cli;

import java.nio.file.Path;
import org.steppolicy.config.UserError;
import org.steppolicy.serve.ServeConfig;
import picocli.CommandLine.Option;

/** How `step serve` listens, bounds its sessions and authenticates: the options of a {@link ServeConfig}. */
public final class ServerOptions {
    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default: ${DEFAULT-VALUE}, loopback only).")
    String host = ServeConfig.LOOPBACK;

    @Option(names = "--port", paramLabel = "N", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = ServeConfig.DEFAULT_PORT;

    @Option(names = "--max-sessions", paramLabel = "N", description = "Open sessions at most; more get RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
    int maxSessions = 16;

    @Option(names = "--idle-timeout", paramLabel = "TIME", description = "Close a session after this long without a call (default: ${DEFAULT-VALUE}).")
    String idleTimeout = "5m";

    @Option(names = "--control-period", paramLabel = "TIME", description = "Time between executed actions of sessions that give none (default: ${DEFAULT-VALUE}).")
    String controlPeriod = "100ms";

    @Option(names = "--token-file", paramLabel = "FILE", description = "Every call must send 'authorization: Bearer <the file's first line>'.")
    Path tokenFile;

    @Option(names = "--health-needs-token", description = "With --token-file: the standard health service asks for the token too (default: open, it reveals nothing but SERVING).")
    boolean healthNeedsToken;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate chain (with --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key, PKCS#8 PEM (with --tls-cert).")
    Path tlsKey;

    /** The server's settings; an invalid value or an unreadable token file is a user error. */
    ServeConfig config() {
        try {
            return ServeConfig.loopback(port).withHost(host).withMaxSessions(maxSessions)
                    .withIdleTimeout(ServeConfig.parseDuration(idleTimeout)).withControlPeriod(ServeConfig.parseDuration(controlPeriod))
                    .withTls(tlsCert, tlsKey).withToken(tokenFile == null ? null : ServeConfig.readToken(tokenFile)).withHealthNeedsToken(healthNeedsToken);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
