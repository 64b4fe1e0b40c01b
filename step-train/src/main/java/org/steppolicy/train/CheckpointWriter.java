package org.steppolicy.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;

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

    /** Contents of one checkpoint; ema null when EMA is off, optimizer null for an imported policy (no resume). */
    public record Contents(Checkpoint.Meta meta, TensorStore model, TensorStore ema, TensorStore optimizer,
                           String normalizerJson, String configYaml) {}

    public Path write(Contents c) {
        String name = Checkpoint.dirName(c.meta().step());
        Path target = root.resolve(name);
        Path tmp = root.resolve(name + ".tmp");
        try {
            Files.createDirectories(root);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            writeFiles(tmp, c);
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
        prune();
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
        c.model().save(dir.resolve(Checkpoint.MODEL));
        if (c.ema() != null) c.ema().save(dir.resolve(Checkpoint.EMA));
        if (c.optimizer() != null) c.optimizer().save(dir.resolve(Checkpoint.OPTIMIZER));
        Files.writeString(dir.resolve(Checkpoint.NORMALIZER), c.normalizerJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(Checkpoint.CONFIG), c.configYaml(), StandardCharsets.UTF_8);
        // meta.json last: a directory without it is never taken for a checkpoint.
        Files.writeString(dir.resolve(Checkpoint.META), c.meta().toJson(), StandardCharsets.UTF_8);
    }

    private void prune() {
        List<Path> all = Checkpoint.list(root);
        Set<Path> keep = new HashSet<>(all.subList(Math.max(0, all.size() - keepLast), all.size()));
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
