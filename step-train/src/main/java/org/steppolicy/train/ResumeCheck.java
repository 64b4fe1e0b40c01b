package org.steppolicy.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DataFingerprint;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.run.Checksums;
import org.steppolicy.run.FileErrors;

/**
 * Before --resume continues a run: the data must be the run's (its {@code data.json} content hash) and the
 * normaliser fit on it must equal the run's {@code normalizer.json}; otherwise the old weights would continue on
 * other data in another normalised space, silently. {@code allowDataChange} continues anyway, with the run's
 * normaliser (the weights were trained in its space). Checkpoints from before data.json resume unchecked for data.
 */
final class ResumeCheck {
    private ResumeCheck() {}

    /** The normaliser to continue with: {@code fitted} when it equals the run's, else the run's (if allowed). */
    static DatasetNormalizer verify(Path ckpt, DataFingerprint now, DatasetNormalizer fitted, boolean allowDataChange,
                                    PrintStream progress) {
        String what = "checkpoint " + ckpt;
        Checksums sums = Checksums.read(ckpt, what);
        sums.verify(ckpt, Checkpoint.DATA, what);
        sums.verify(ckpt, Checkpoint.NORMALIZER, what);
        String hint = ": resume with the run's --data, or pass --allow-data-change to continue on this data with the run's normaliser";
        DataFingerprint then = Files.isRegularFile(ckpt.resolve(Checkpoint.DATA)) ? DataFingerprint.fromJson(read(ckpt, Checkpoint.DATA)) : null;
        if (then != null) {
            String diff = then.contentDifference(now);
            if (diff != null) {
                if (!allowDataChange)
                    throw new UserError("cannot resume from " + ckpt + ": the data differs from the run's (" + diff + "; the run trained on "
                            + then.path() + ")" + hint);
                note(progress, "the data differs from the run's (" + diff + "); continuing as --allow-data-change asks");
            } else {
                String moved = then.locationDifference(now);
                if (moved != null) note(progress, "same data as the run's, at another place (" + moved + ")");
            }
        }
        DatasetNormalizer saved;
        try {
            saved = DatasetNormalizer.fromJson(read(ckpt, Checkpoint.NORMALIZER));
        } catch (IllegalArgumentException e) {
            throw new UserError(what + ": " + Checkpoint.NORMALIZER + ": " + e.getMessage(), e);
        }
        String diff = JsonDifference.first(JsonDifference.tree(saved.toJson()), JsonDifference.tree(fitted.toJson()), "the run", "this data");
        if (diff == null) return fitted;                   // the same: keep the fitted one (bit-exact resume)
        if (!allowDataChange)
            throw new UserError("cannot resume from " + ckpt + ": the normaliser fit on this data differs from the run's (" + diff + ")" + hint);
        note(progress, "keeping the run's normaliser (this data's differs: " + diff + ")");
        return saved;
    }

    private static String read(Path dir, String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw FileErrors.cannotRead("checkpoint " + dir, e);
        }
    }

    private static void note(PrintStream progress, String text) {
        if (progress != null) progress.println("note: " + text);
    }
}
