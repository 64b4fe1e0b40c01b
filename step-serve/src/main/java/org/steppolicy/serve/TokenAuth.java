package org.steppolicy.serve;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Every call must carry {@code authorization: Bearer <token>}; otherwise UNAUTHENTICATED, before any work. */
final class TokenAuth implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final byte[] expected;

    TokenAuth(String token) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("the token is empty");
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
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
        String got = headers.get(AUTHORIZATION);
        // Constant-time comparison: the time to reject must not reveal how much of the token was right.
        if (got == null || !MessageDigest.isEqual(expected, got.getBytes(StandardCharsets.UTF_8))) {
            call.close(Status.UNAUTHENTICATED.withDescription(got == null
                    ? "this server needs a token: send metadata 'authorization: Bearer <token>'"
                    : "wrong token in 'authorization'"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
