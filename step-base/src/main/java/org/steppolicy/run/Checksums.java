package org.steppolicy.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.steppolicy.config.UserError;

/**
 * SHA-256 of the files a checkpoint or an export writes, kept beside them in {@value #FILE} in {@code sha256sum}'s
 * format ({@code <hex>  <name>}, so {@code sha256sum -c checksums.sha256} checks a folder by hand). Loading verifies
 * the files it reads and refuses a mismatch with one line naming the file; a folder without the file (written
 * before checksums existed) loads unchecked. Where the file exists, a file the folder uses but does not list is
 * refused too (a line removed must not make a file load unchecked), and every name in it must be a plain name inside
 * the folder ({@link FolderFile}): hashing follows no path out and no link.
 */
public final class Checksums {
    public static final String FILE = "checksums.sha256";

    private final Map<String, String> sums = new LinkedHashMap<>();

    /** Something that writes a file's bytes. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code dir/name} through a digest and records its SHA-256. */
    public Checksums write(Path dir, String name, Writer w) throws IOException {
        MessageDigest md = sha256();
        try (OutputStream out = new DigestOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve(name)), 1 << 16), md)) {
            w.write(out);
        }
        sums.put(name, HexFormat.of().formatHex(md.digest()));
        return this;
    }

    public Checksums write(Path dir, String name, byte[] bytes) throws IOException {
        return write(dir, name, out -> out.write(bytes));
    }

    public Checksums writeText(Path dir, String name, String text) throws IOException {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Records a file already written. */
    public Checksums add(Path dir, String name) throws IOException {
        sums.put(name, hash(dir.resolve(name)));
        return this;
    }

    /** Writes {@value #FILE} into {@code dir}. */
    public void save(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        sums.forEach((name, hex) -> b.append(hex).append("  ").append(name).append('\n'));
        Files.writeString(dir.resolve(FILE), b.toString(), StandardCharsets.UTF_8);
    }

    public Map<String, String> sums() { return Map.copyOf(sums); }

    /** The checksums recorded in {@code dir}; empty when it has none. */
    public static Checksums read(Path dir, String what) {
        Checksums c = new Checksums();
        Path f = FolderFile.regular(dir, FILE, 1 << 20, true, what);
        if (f == null) return c;
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                int sp = line.indexOf("  ");
                if (sp != 64 || !line.substring(0, 64).matches("[0-9a-f]{64}"))
                    throw new UserError(what + ": " + FILE + " is malformed (line '" + abbreviate(line) + "')");
                String name = line.substring(sp + 2);
                if (!FolderFile.isPlainName(name))
                    throw new UserError(what + ": " + FILE + " names '" + abbreviate(name) + "', which is not a plain file name inside its folder");
                c.sums.put(name, line.substring(0, 64));
            }
        } catch (IOException e) {
            throw FileErrors.cannotRead(what, e);
        }
        return c;
    }

    public boolean isEmpty() { return sums.isEmpty(); }

    /**
     * Checks {@code dir/name} against its recorded SHA-256. A file that exists but is not listed is refused; one that
     * is neither listed nor present is left to the caller (an optional file); a folder without {@value #FILE} is not
     * checked.
     */
    public void verify(Path dir, String name, String what) {
        if (sums.isEmpty()) return;
        String expected = sums.get(name);
        if (expected == null) {
            if (FolderFile.regular(dir, name, Long.MAX_VALUE, true, what) != null) throw unlisted(name, what);
            return;
        }
        if (FolderFile.regular(dir, name, Long.MAX_VALUE, true, what) == null)
            throw new UserError(what + ": " + name + " is missing (listed in " + FILE + ")");
        Path f = dir.resolve(name);
        String actual;
        try {
            actual = hash(f);
        } catch (IOException e) {
            throw FileErrors.cannotRead(what, e);
        }
        if (!actual.equals(expected))
            throw new UserError(what + ": " + name + " does not match its SHA-256 in " + FILE + " (the file was changed or is corrupt)");
    }

    /** Refuses a file the folder uses but {@value #FILE} (when there is one) does not list. */
    public void requireListed(String name, String what) {
        if (!sums.isEmpty() && !sums.containsKey(name)) throw unlisted(name, what);
    }

    private static UserError unlisted(String name, String what) {
        return new UserError(what + ": " + name + " is not listed in " + FILE + ", so it cannot be verified (a line was removed, or the file added)");
    }

    /** Checks every recorded file. */
    public void verifyAll(Path dir, String what) {
        for (String name : sums.keySet()) verify(dir, name, what);
    }

    /** SHA-256 of a file, as lower-case hex. */
    public static String hash(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
