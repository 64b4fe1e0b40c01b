package org.steppolicy.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the config file named on the command line: as given (relative names against the working directory), then in
 * the project: a bare name in its {@code configs/} ({@code --config square.yaml}), a relative path under its root
 * ({@code --config configs/square.yaml} run from elsewhere). {@code extends:} is not looked up here: it stays relative
 * to the including file.
 */
public final class ConfigLocator {
    /** The system property the {@code ./step} launcher sets to the project root. */
    public static final String HOME_PROPERTY = "step.home";

    private ConfigLocator() {}

    /** The file to load, or a one-line {@link UserError} naming every place looked. */
    public static Path locate(Path given) {
        return locate(given, Path.of("").toAbsolutePath(), projectHome().orElse(null));
    }

    static Path locate(Path given, Path workingDir, Path home) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(workingDir.resolve(given));
        if (!given.isAbsolute() && home != null) {
            Path inProject = given.getParent() == null ? home.resolve("configs").resolve(given) : home.resolve(given);
            if (!inProject.normalize().equals(candidates.get(0).normalize())) candidates.add(inProject);
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (Files.isRegularFile(candidates.get(i))) return i == 0 ? given : candidates.get(i).normalize();
        }
        if (given.isAbsolute()) throw new UserError(given + ": no such config file");
        List<String> places = new ArrayList<>();
        for (Path c : candidates) places.add(c.normalize().getParent().toString());
        String where = String.join(" and ", places)
                + (home == null ? " (the project's configs/ is unknown: run through ./step, or set -D" + HOME_PROPERTY + ")" : "");
        throw new UserError(given + ": no such config file (looked in " + where + ")");
    }

    /**
     * The project root: {@code -Dstep.home} when set, else the nearest directory above this code's jar or classes
     * folder that holds {@code configs/} and {@code pom.xml} (a build run from the source tree, as tests are).
     */
    public static Optional<Path> projectHome() {
        String prop = System.getProperty(HOME_PROPERTY);
        if (prop != null && !prop.isBlank()) return Optional.of(Path.of(prop).toAbsolutePath());
        try {
            var source = ConfigLocator.class.getProtectionDomain().getCodeSource();
            if (source == null) return Optional.empty();
            Path p = Path.of(source.getLocation().toURI()).toAbsolutePath();
            for (int up = 0; p != null && up < 6; up++, p = p.getParent()) {
                if (Files.isDirectory(p.resolve("configs")) && Files.isRegularFile(p.resolve("pom.xml"))) return Optional.of(p);
            }
        } catch (java.net.URISyntaxException | SecurityException | java.nio.file.FileSystemNotFoundException e) {
            // an unusual class loader: no fallback, the launcher's property is the reliable way
        }
        return Optional.empty();
    }
}
