package org.steppolicy.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.steppolicy.config.UserError;

/**
 * A file that a checkpoint or export folder names (policy.json's {@code "file"}, a line of checksums.sha256, a
 * checkpoint's fixed files): a downloaded folder is input from a stranger, so what it names must lie inside it. A
 * name is plain (letters, digits, {@code . _ -}, not starting with a dot: no separators, no {@code ..}, no absolute
 * path), the file is a regular file and not a symbolic link (which could lead anywhere, {@code /dev/zero} included),
 * and its size is checked against a bound before anything is allocated for it. Each check is one line, exit 2,
 * before the file is opened.
 */
public final class FolderFile {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    /** The most a JSON or YAML description (policy.json, meta.json, normalizer.json, config.yaml) may hold. */
    public static final long MAX_TEXT_BYTES = 64L << 20;
    /** The most one network file (ONNX) may hold: ONNX's protobuf cannot exceed 2 GB, ours are megabytes. */
    public static final long MAX_MODEL_BYTES = 1L << 30;

    private FolderFile() {}

    /** True when {@code name} is a plain file name: what a folder of ours writes, nothing that leaves it. */
    public static boolean isPlainName(String name) {
        return name != null && PLAIN.matcher(name).matches();
    }

    /** {@code dir/name} after checking the name alone (nothing is opened): a path, {@code ..} or odd name is refused. */
    public static Path resolve(Path dir, String name, String what) {
        if (!isPlainName(name))
            throw new UserError(what + ": names the file '" + clip(name) + "', which is not a plain file name inside its folder"
                    + " (no paths, no '..'); the folder was altered or crafted");
        return dir.resolve(name);
    }

    /**
     * {@code dir/name} checked to be a regular file in the folder, not a link, of at most {@code maxBytes}; returns
     * null when it does not exist and {@code optional}.
     */
    public static Path regular(Path dir, String name, long maxBytes, boolean optional, String what) {
        Path p = resolve(dir, name, what);
        if (Files.isSymbolicLink(p))
            throw new UserError(what + ": " + name + " is a symbolic link; the files of a checkpoint or export must lie in its folder");
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            if (optional) return null;
            throw new UserError(what + ": " + name + " is missing");
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) throw new UserError(what + ": " + name + " is not a regular file");
        long size;
        try {
            size = Files.size(p);
        } catch (IOException e) {
            throw FileErrors.cannotRead(what, e);
        }
        if (size > maxBytes)
            throw new UserError(what + ": " + name + " holds " + size + " bytes, more than the " + maxBytes + " such a file may hold");
        return p;
    }

    /** The bytes of {@code dir/name}, checked as {@link #regular}; a file that grows while read is cut at the bound. */
    public static byte[] read(Path dir, String name, long maxBytes, String what) {
        Path p = regular(dir, name, maxBytes, false, what);
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
            if (in.read() >= 0) throw new UserError(what + ": " + name + " grew past " + maxBytes + " bytes while being read");
            return b;
        } catch (IOException e) {
            throw FileErrors.cannotRead(what, e);
        }
    }

    private static String clip(String s) {
        if (s == null) return "";
        s = s.replaceAll("\\p{Cntrl}", "?");
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
