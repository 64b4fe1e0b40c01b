package org.steppolicy.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}: stack traces on errors. {@link StepCli} reads it from the raw arguments (an error may come before
 * or during parsing); the option is declared here once so every command that offers it parses and documents it alike.
 */
public final class VerboseOption {
    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;
}
