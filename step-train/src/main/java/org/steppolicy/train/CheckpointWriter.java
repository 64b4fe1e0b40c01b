package org.steppolicy.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;
import org.steppolicy.run.Checksums;

/**
 * Writes checkpoints atomically (everything into {@code step-N.tmp}, then one directory rename) and prunes old ones,
 * keeping the last {@code keepLast} and the one with the lowest validation loss.
 */
public final class CheckpointWriter {
    private final Path root;
    private final int keepLast;

    public CheckpointWriter(Path runDir, int keepLast) {
        if (keepLast < 1) throw new IllegalArgumentException("keep_last must be >= 1, got " + keepLast);
        this.root = runDir.resolve(Checkpoint.RUN_SUBDIR);
        this.keepLast = keepLast;
    }

    /**
     * Contents of one checkpoint; ema null when EMA is off, optimizer null for an imported policy (no resume);
     * {@code extraFiles} (name -> text) e.g. data.json, {@code extraTensors} (name -> tensors) e.g. a BRIDGeR
     * checkpoint's CVAE decoder.
     */
    public record Contents(Checkpoint.Meta meta, TensorStore model, TensorStore ema, TensorStore optimizer,
                           String normalizerJson, String configYaml, Map<String, String> extraFiles,
                           Map<String, TensorStore> extraTensors) {
        public Contents(Checkpoint.Meta meta, TensorStore model, TensorStore ema, TensorStore optimizer,
                        String normalizerJson, String configYaml) {
            this(meta, model, ema, optimizer, normalizerJson, configYaml, Map.of());
        }

        public Contents(Checkpoint.Meta meta, TensorStore model, TensorStore ema, TensorStore optimizer,
                        String normalizerJson, String configYaml, Map<String, String> extraFiles) {
            this(meta, model, ema, optimizer, normalizerJson, configYaml, extraFiles, Map.of());
        }
    }

    public Path write(Contents c) {
        String name = Checkpoint.dirName(c.meta().step());
        Path target = root.resolve(name);
        Path tmp = root.resolve(name + ".tmp");
        try {
            Files.createDirectories(root);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            try {
                writeFiles(tmp, c);
            } catch (IOException e) {
                try {
                    deleteTree(tmp);   // the half-written copy (a full disk); the last complete checkpoint is untouched
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
            if (Files.exists(target)) {
                Path old = root.resolve(name + ".old");
                deleteTree(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
        prune(target);
        return target;
    }

    /**
     * Writes one checkpoint folder at {@code target} itself (not inside a run's {@code checkpoints/}): everything goes
     * into a hidden sibling first, renamed into place at the end, so a failure leaves nothing at {@code target}.
     * {@code target} must not exist or be an empty directory.
     */
    public static Path writeFolder(Path target, Contents c) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            // a plain directory (not createTempDirectory's owner-only one): the checkpoint gets the usual permissions
            tmp = Files.createDirectory(parent.resolve("." + abs.getFileName() + ".tmp-" + Long.toHexString(System.nanoTime())));
            writeFiles(tmp, c);
            if (Files.isDirectory(abs)) Files.delete(abs);   // only an empty one: the caller checked
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                if (tmp != null) deleteTree(tmp);
            } catch (IOException ignored) {
                // best effort: a leftover hidden temp folder is never taken for a checkpoint
            }
        }
    }

    private static void writeFiles(Path dir, Contents c) throws IOException {
        // Every file is hashed as it is written; loading checks the hashes (a flipped byte is refused, not evaluated).
        Checksums sums = new Checksums();
        sums.write(dir, Checkpoint.MODEL, c.model()::write);
        if (c.ema() != null) sums.write(dir, Checkpoint.EMA, c.ema()::write);
        if (c.optimizer() != null) sums.write(dir, Checkpoint.OPTIMIZER, c.optimizer()::write);
        sums.writeText(dir, Checkpoint.NORMALIZER, c.normalizerJson());
        sums.writeText(dir, Checkpoint.CONFIG, c.configYaml());
        for (Map.Entry<String, String> e : c.extraFiles().entrySet()) sums.writeText(dir, e.getKey(), e.getValue());
        for (Map.Entry<String, TensorStore> e : c.extraTensors().entrySet()) sums.write(dir, e.getKey(), e.getValue()::write);
        // meta.json last: a directory without it is never taken for a checkpoint.
        sums.writeText(dir, Checkpoint.META, c.meta().toJson());
        sums.save(dir);
    }

    /** Keeps the last keep_last, the best, and always {@code justWritten} (the checkpoint a run reports). */
    private void prune(Path justWritten) {
        List<Path> all = Checkpoint.list(root);
        Set<Path> keep = new HashSet<>(all.subList(Math.max(0, all.size() - keepLast), all.size()));
        keep.add(justWritten);
        Path best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (Path p : all) {
            double v = Checkpoint.readMeta(p).valLoss();
            if (v < bestLoss) { bestLoss = v; best = p; }
        }
        if (best != null) keep.add(best);
        for (Path p : new ArrayList<>(all)) {
            if (keep.contains(p)) continue;
            try {
                deleteTree(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove old checkpoint " + p + ": " + e.getMessage(), e);
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
