package org.steppolicy.infer.runtime;

import java.util.Locale;
import org.steppolicy.config.UserError;

/** Which runtime runs the networks: ONNX Runtime (default for eval and bench) or SameDiff (reference, CUDA path). */
public enum RuntimeKind {
    ONNX, SAMEDIFF;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static RuntimeKind parse(String s) {
        for (RuntimeKind k : values()) if (k.id().equals(s.trim().toLowerCase(Locale.ROOT))) return k;
        throw new UserError("unknown runtime '" + s + "' (expected onnx or samediff)");
    }
}
