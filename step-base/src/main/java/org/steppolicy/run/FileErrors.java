package org.steppolicy.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.steppolicy.config.UserError;

/**
 * File-system failures caused by the user's paths (permissions, read-only disks, missing folders) as one-line
 * {@link UserError}s: these are input problems, not program defects, so they exit 2 like any other bad input.
 */
public final class FileErrors {
    private FileErrors() {}

    /** "permission denied", "read-only file system", ...: the reason without Java's exception names. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or folder";
        if (e instanceof NotDirectoryException) return "not a folder";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason().toLowerCase(java.util.Locale.ROOT);
        return String.valueOf(e.getMessage());
    }

    /** The user error for a failed write to {@code what} (e.g. "--out runs/x"). */
    public static UserError cannotWrite(String what, IOException e) {
        return new UserError("cannot write " + what + ": " + where(e) + reason(e), e);
    }

    public static UserError cannotRead(String what, IOException e) {
        return new UserError("cannot read " + what + ": " + where(e) + reason(e), e);
    }

    /** "FILE: permission denied": the file and the reason, for a failure caught far from where it happened. */
    public static String describe(IOException e) {
        return where(e) + reason(e);
    }

    /**
     * What the operating system says when a disk, a quota or a permission fails a read or write (strerror's words):
     * Java reports these as a plain IOException with that message, without the file. They are the machine's
     * problem, not a defect of the program.
     */
    private static final List<String> OS_REASONS = List.of("No space left on device", "Disk quota exceeded", "Input/output error",
            "Read-only file system", "Permission denied", "Operation not permitted", "File too large", "Too many open files",
            "Stale file handle", "No such device");

    /**
     * The line for an I/O failure anywhere in {@code ex}'s causes that the file system or the OS reported (ENOSPC,
     * EIO, EDQUOT, EACCES, ...), or null when there is none: the outermost message that already names the failure
     * (a writer's "cannot write checkpoint DIR: No space left on device"), else the file and the reason.
     */
    public static String osFailure(Throwable ex) {
        IOException io = null;
        for (Throwable t = ex; t != null && io == null; t = t.getCause())
            if (t instanceof FileSystemException f) io = f;
            else if (t instanceof IOException e && e.getMessage() != null && OS_REASONS.stream().anyMatch(r -> e.getMessage().contains(r))) io = e;
        if (io == null) return null;
        String reason = io.getMessage();
        if (!(io instanceof FileSystemException)) {
            for (Throwable t = ex; t != io; t = t.getCause()) {
                String m = t.getMessage();
                boolean ownWords = m != null && !(t.getCause() != null && m.equals(t.getCause().toString()));   // not new X(cause)'s copy
                if (ownWords && m.contains(reason)) return m;
            }
        }
        return describe(io);
    }

    /**
     * Why {@code p} is not a readable file, in the user's terms: "no such file", or a symbolic link that loops or
     * leads to nothing (which Java reports as absent), or something other than a file.
     */
    public static String whyNotAFile(Path p) {
        if (Files.isSymbolicLink(p) && !Files.exists(p)) {
            try {
                p.toRealPath();
            } catch (NoSuchFileException e) {
                return "a symbolic link to a missing file";
            } catch (IOException e) {
                String r = reason(e);
                return r.contains("symbolic links") ? "a symbolic link loop (" + r + ")" : "a symbolic link that cannot be followed (" + r + ")";
            }
        }
        if (Files.isDirectory(p)) return "a folder, not a file";
        if (Files.exists(p)) return "not a regular file";
        return "no such file";
    }

    private static String where(IOException e) {
        return e instanceof FileSystemException f && f.getFile() != null ? Path.of(f.getFile()) + ": " : "";
    }
}
