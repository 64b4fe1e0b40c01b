package org.steppolicy.cli;

import picocli.CommandLine.Command;

/** {@code step analyze}: measurements of a trained policy that are not closed-loop scores. Wiring only. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Measure a trained policy: the contraction of the reverse process from each warm start.",
        subcommands = {AnalyzeContractionCommand.class})
public final class AnalyzeCommand extends CommandGroup {}
