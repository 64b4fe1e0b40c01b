package org.steppolicy.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
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

    private static String where(IOException e) {
        return e instanceof FileSystemException f && f.getFile() != null ? Path.of(f.getFile()) + ": " : "";
    }
}
