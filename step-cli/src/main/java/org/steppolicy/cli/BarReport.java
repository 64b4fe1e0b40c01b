package org.steppolicy.cli;

import org.steppolicy.config.UserError;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the sim checks end: print the report, write its JSON when asked, exit 0 when the bar holds and 1 otherwise.
 * One place, so every check names the file it wrote and fails on an unwritable path the same way.
 */
final class BarReport {
    private BarReport() {}

    /** @param json where to write {@code jsonText}; null for no file */
    static int finish(PrintWriter out, String report, Path json, String jsonText, boolean meetsBar) {
        out.println(report);
        if (json != null) {
            try {
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.writeString(json, jsonText);
            } catch (IOException e) {
                throw new UserError(json + ": cannot write (" + e.getMessage() + ")", e);
            }
            out.println("wrote " + json);
        }
        out.flush();
        return meetsBar ? 0 : 1;
    }
}
