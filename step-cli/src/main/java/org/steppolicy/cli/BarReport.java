package org.steppolicy.cli;

import org.steppolicy.config.UserError;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * How the sim checks end, as a picocli mixin with their shared options: print the report, write its JSON when --json
 * asks, exit 0 when the bar holds and 1 otherwise. One place, so every check names the file it wrote and fails on an
 * unwritable path the same way.
 */
public final class BarReport {
    @Option(names = "--json", paramLabel = "OUT", description = "Also write the per-demo and overall numbers as JSON.")
    Path json;

    @Mixin
    VerboseOption verbose;

    /** The check's own command, whose output stream the report goes to (so the checks need no spec of their own). */
    @Spec(Spec.Target.MIXEE)
    CommandSpec check;

    int finish(String report, Supplier<String> jsonText, boolean meetsBar) {
        PrintWriter out = check.commandLine().getOut();
        out.println(report);
        if (json != null) {
            try {
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.writeString(json, jsonText.get());
            } catch (IOException e) {
                throw new UserError(json + ": cannot write (" + e.getMessage() + ")", e);
            }
            out.println("wrote " + json);
        }
        out.flush();
        return meetsBar ? 0 : 1;
    }
}
