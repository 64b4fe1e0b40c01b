package org.steppolicy.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.run.RunFolder;

/**
 * How a training run starts: the checkpoint --resume names, the run folder it claims and the --init-from weights;
 * separate from the jobs because all three start a run the same way.
 */
public final class RunStart {
    private RunStart() {}

    /** The checkpoint --resume names (a checkpoint or a run folder's latest), checked to be of {@code kind}. */
    static Path resumeCheckpoint(Path resume, String kind) {
        if (resume == null) return null;
        if (!Files.exists(resume)) throw new UserError("--resume " + resume + ": no such checkpoint or run folder");
        Path ck = Checkpoint.resolve(resume);
        String k = Checkpoint.readMeta(ck).kind();
        if (!k.equals(kind)) throw new UserError("cannot resume from " + ck + ": it is a " + k + " checkpoint, this is " + kind + " training");
        return ck;
    }

    /**
     * The run folder a checkpoint belongs to ({@code RUN/checkpoints/step-N} -> RUN; a run folder -> itself);
     * null for a checkpoint outside a run's layout.
     */
    public static Path runDirOf(Path resume) {
        if (resume == null) return null;
        if (Files.isDirectory(resume.resolve(Checkpoint.RUN_SUBDIR))) return resume;
        Path ck = resume.toAbsolutePath().normalize();
        Path parent = ck.getParent();
        if (Files.isRegularFile(ck.resolve(Checkpoint.META)) && parent != null && parent.getFileName() != null
                && parent.getFileName().toString().equals(Checkpoint.RUN_SUBDIR)) return resume.resolve("../..").normalize();
        return null;
    }

    /** The run folder --out, claimed for training; continuing when {@code from} is a checkpoint of that same run. */
    static RunFolder claim(Path outDir, Path from, RunOptions o) {
        Path run = from == null ? null : runDirOf(from);
        boolean continues = run != null && samePath(run, outDir);
        return RunFolder.claim(outDir, RunFolder.Kind.TRAINING, o.force(), continues);
    }

    /** The run folder --out, claimed to continue the run {@code run} when that is the same folder (a resume before any checkpoint of its own). */
    static RunFolder claimContinuing(Path outDir, Path run, RunOptions o) {
        return RunFolder.claim(outDir, RunFolder.Kind.TRAINING, o.force(), samePath(run, outDir));
    }

    private static boolean samePath(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException e) {
            // fall through to comparing the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** The --init-from weights of a new run, checked against the normaliser fit on its data; null when none or resuming. */
    static InitialWeights initialWeights(RunOptions o, Path resume, String kind, DatasetNormalizer norm, PrintStream progress) {
        if (o.initFrom() == null) return null;
        if (resume != null) throw new UserError("--init-from starts a new run; --resume continues one: give one of them");
        InitialWeights w = InitialWeights.load(o.initFrom(), kind);
        w.requireNormalizer(norm);
        if (progress != null) progress.println("initial weights: " + w.source() + " (" + w.weights().size() + " tensors; optimiser, EMA and LR schedule start fresh)");
        return w;
    }

    static Trainer initialised(Trainer t, InitialWeights w) {
        return w == null ? t : t.withInitialWeights(w).withCheckpointFile(InitialWeights.FILE, w.toJson());
    }
}
