package org.steppolicy.config;

/** Range checks of command-line values, as one-line {@link UserError}s naming the option, the value and the range. */
public final class Require {
    private Require() {}

    public static void atLeast(String option, long value, long min) {
        if (value < min) throw new UserError(option + " must be >= " + min + ", got " + value);
    }

    public static void positive(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) throw new UserError(option + " must be a number > 0, got " + value);
    }
}
