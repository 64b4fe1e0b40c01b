package org.steppolicy.serve;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Every call must carry {@code authorization: Bearer <token>}; otherwise UNAUTHENTICATED, before any work. The
 * scheme is case-insensitive, as HTTP's are ({@code bearer} works). The standard health service stays open unless
 * asked otherwise: it answers SERVING or not and reveals nothing, and load balancers probe it without credentials.
 */
final class TokenAuth implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "Bearer";

    private final byte[] expected;
    private final boolean healthOpen;

    TokenAuth(String token) {
        this(token, true);
    }

    TokenAuth(String token, boolean healthOpen) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("the token is empty");
        this.expected = token.getBytes(StandardCharsets.UTF_8);
        this.healthOpen = healthOpen;
    }

    /** The token file's first line, trimmed (so a trailing newline from `echo` does not matter). */
    static String read(Path file) {
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
            if (t.isEmpty()) throw new IllegalArgumentException(file + ": the token file is empty");
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (healthOpen && HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) return next.startCall(call, headers);
        String got = headers.get(AUTHORIZATION);
        // Constant-time comparison: the time to reject must not reveal how much of the token was right.
        if (got == null || !MessageDigest.isEqual(expected, credentials(got))) {
            call.close(Status.UNAUTHENTICATED.withDescription(got == null
                    ? "this server needs a token: send metadata 'authorization: Bearer <token>'"
                    : "wrong token in 'authorization'"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    /** The token of {@code Bearer <token>} (any case, one or more spaces), or nothing for another scheme. */
    private static byte[] credentials(String header) {
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || header.charAt(SCHEME.length()) != ' ') return new byte[0];
        return header.substring(SCHEME.length()).stripLeading().getBytes(StandardCharsets.UTF_8);
    }
}
