package org.steppolicy.cli;

import java.time.Duration;
import org.steppolicy.config.UserError;
import org.steppolicy.serve.ServeConfig;

/** A duration option's text ("5m", "2ms", ISO-8601): a bad one is a user error that names the option. */
final class DurationOption {
    private DurationOption() {}

    static Duration parse(String option, String text) {
        try {
            return ServeConfig.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }
}
