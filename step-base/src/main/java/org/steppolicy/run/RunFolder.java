package org.steppolicy.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.steppolicy.config.UserError;

/**
 * A folder that belongs to one run (a training run, an evaluation, an export). Claiming it takes its
 * {@link RunLock}, so no second process writes into a live run, and refuses a folder that already holds another
 * run, unless the caller continues that run (--resume) or replaces it (--force, which deletes only what runs write).
 * Everything is checked before the first file is written; a folder this claim created and that is still empty
 * on close is removed, so a run that fails early leaves nothing behind.
 */
public final class RunFolder implements AutoCloseable {

    /** What the folder is for; names it in messages. */
    public enum Kind {
        TRAINING("a training run", RunLayout.TRAINING), EVALUATION("an evaluation", RunLayout.EVALUATION),
        EXPORT("an ONNX export", RunLayout.EXPORT), SWEEP("a sweep", RunLayout.SWEEP);

        final String description;
        /** What a run of this kind writes: --force removes exactly that and refuses to touch anything else. */
        final RunLayout layout;

        Kind(String description, RunLayout layout) {
            this.description = description;
            this.layout = layout;
        }
    }

    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
    private static final Pattern KIND = Pattern.compile("\"kind\"\\s*:\\s*\"(\\w+)\"");

    private final Path dir;
    private final RunLock lock;
    private final boolean created;

    private RunFolder(Path dir, RunLock lock, boolean created) {
        this.dir = dir;
        this.lock = lock;
        this.created = created;
    }

    /**
     * Claims {@code dir} for a run of {@code kind}.
     *
     * @param force     replace a run that is there (its files are deleted)
     * @param continues the caller continues the run that is there (--resume into its own folder)
     */
    public static RunFolder claim(Path dir, Kind kind, boolean force, boolean continues) {
        String what = "--out " + dir;
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UserError(what + " is a file; give a folder (new or empty)");
        if (force && continues) throw new UserError("--force would delete the checkpoints --resume continues from; give one of them");
        boolean created = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw FileErrors.cannotWrite(what, e);
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(dir, what);
        } catch (UserError e) {
            if (created) deleteIfEmpty(dir);
            throw e;
        }
        RunFolder folder = new RunFolder(dir, lock, created);
        try {
            List<String> entries = entries(dir);
            if (!entries.isEmpty() && !continues) {
                if (!force) {
                    String described = describe(dir, entries);
                    // --resume only where there is a checkpoint to resume from (a run stopped before its first one has none)
                    String hint = kind == Kind.TRAINING && described.contains("with checkpoints up to step")
                            ? "continue it with --resume " + dir + ", start over with --force, or choose another --out"
                            : kind == Kind.TRAINING && (Files.isDirectory(dir.resolve("checkpoints")) || entries.contains("metrics.csv"))
                            ? "it has no checkpoint to resume from: start over with --force or choose another --out"
                            : "replace it with --force or choose another --out";
                    throw new UserError(what + " already holds " + described + ": " + hint);
                }
                // Checked at every depth before anything is deleted: a user's note under checkpoints/ survives.
                List<String> foreign = kind.layout.foreign(dir);
                if (!foreign.isEmpty())
                    throw new UserError(what + " holds " + list(foreign) + ", which " + kind.description + " does not write: --force"
                            + " deletes only what " + kind.description + " writes; move " + (foreign.size() == 1 ? "it" : "them")
                            + " or choose another --out");
                for (String e : entries) deleteTree(dir.resolve(e));
            }
            return folder;
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        } catch (IOException e) {
            folder.close();
            throw FileErrors.cannotWrite(what, e);
        }
    }

    public Path dir() { return dir; }

    /** Writes a small text file into the folder (e.g. the resolved config.yaml). */
    public RunFolder writeText(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw FileErrors.cannotWrite("--out " + dir, e);
        }
        return this;
    }

    @Override
    public void close() {
        lock.close();
        if (created) deleteIfEmpty(dir);
    }

    /** What is in a folder, as one phrase: "a dp run with checkpoints up to step 2", "an evaluation (results.json)", ... */
    static String describe(Path dir, List<String> entries) {
        Path ck = dir.resolve("checkpoints");
        if (Files.isDirectory(ck)) {
            long last = -1;
            String kind = null;
            try (Stream<Path> s = Files.list(ck)) {
                for (Path p : s.toList()) {
                    Matcher m = STEP_DIR.matcher(p.getFileName().toString());
                    if (!m.matches() || !Files.isRegularFile(p.resolve("meta.json"))) continue;
                    long step = Long.parseLong(m.group(1));
                    if (step > last) {
                        last = step;
                        Matcher k = KIND.matcher(Files.readString(p.resolve("meta.json")));
                        kind = k.find() ? k.group(1) : null;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // describing is best effort; the refusal stands either way
            }
            if (last >= 0) return "a " + (kind == null ? "" : kind + " ") + "training run with checkpoints up to step " + last;
        }
        if (entries.contains("grid.yaml")) return "a sweep (grid.yaml)";
        if (entries.contains("results.json")) return "an evaluation (results.json)";
        if (entries.contains("policy.json")) return "an ONNX export (policy.json)";
        if (entries.contains("metrics.csv") || entries.contains("config.yaml")) return "an unfinished run (" + list(entries) + ")";
        return "other files (" + list(entries) + ")";
    }

    private static List<String> entries(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!RunLock.isLockFile(n)) out.add(n);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static String list(List<String> names) {
        return names.size() <= 4 ? String.join(", ", names) : String.join(", ", names.subList(0, 4)) + ", ... " + names.size() + " in all";
    }

    private static void deleteIfEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isEmpty()) Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // leaving an empty folder behind is harmless
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
