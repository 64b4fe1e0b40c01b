package org.steppolicy.data;

import java.nio.file.Path;
import org.steppolicy.config.UserError;

/** Bad demonstration data: one line naming the file, the HDF5 (or zarr) path inside it, and what is wrong. */
public class DataFileException extends UserError {
    private final Path file;
    private final String internalPath;

    public DataFileException(Path file, String internalPath, String problem) {
        this(file, internalPath, problem, null);
    }

    public DataFileException(Path file, String internalPath, String problem, Throwable cause) {
        // No internal path for problems with the file itself ("no such file"), so no bare "/" in the message.
        super(file + ": " + (internalPath == null ? "" : internalPath + ": ") + problem, cause);
        this.file = file;
        this.internalPath = internalPath;
    }

    public Path file() { return file; }

    public String internalPath() { return internalPath; }
}
