package org.steppolicy.config;

/** A problem with the user's input (file, config, argument): the CLI prints the one-line message and exits 2. */
public class UserError extends RuntimeException {
    public UserError(String message) { super(message); }
    public UserError(String message, Throwable cause) { super(message, cause); }
}
