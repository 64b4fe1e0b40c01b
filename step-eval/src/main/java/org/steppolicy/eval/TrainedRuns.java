package org.steppolicy.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.PredictorArch;

/**
 * The training runs under a folder (the project's runs/, where train-dp and train-predictor write by default): the
 * newest DP run, and the newest predictor run of each kind, so that {@code step eval} needs no paths after training.
 * A run is a folder holding checkpoints/ (quickstart's nest one level deeper); its kind is read from its latest
 * checkpoint's meta.json, and "newest" is that checkpoint's write time.
 */
public final class TrainedRuns {
    /** The project's default output folder (train-dp's runs/dp-TASK, train-predictor's runs/predictor-KIND-TASK). */
    public static final Path DEFAULT_ROOT = Path.of("runs");
    /** runs/NAME/checkpoints and runs/quickstart/NAME/checkpoints. */
    private static final int DEPTH = 3;

    /** @param kind "dp", or the predictor's kind ("step", "spatial") */
    public record Run(Path dir, String kind, FileTime written) {}

    private final List<Run> runs;

    private TrainedRuns(List<Run> runs) { this.runs = runs; }

    /** Every readable run under root (none when root does not exist). */
    public static TrainedRuns scan(Path root) {
        List<Run> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return new TrainedRuns(out);
        try (Stream<Path> s = Files.walk(root, DEPTH, FileVisitOption.FOLLOW_LINKS)) { // runs linked in from elsewhere count
            s.filter(p -> p.getFileName().toString().equals(Checkpoint.RUN_SUBDIR) && Files.isDirectory(p))
                    .map(Path::getParent).sorted().forEach(dir -> read(dir).ifPresent(out::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TrainedRuns(out);
    }

    /** A run folder's kind and time; empty when it holds no complete checkpoint (e.g. a run that is starting). */
    static Optional<Run> read(Path dir) {
        try {
            List<Path> all = Checkpoint.list(dir);
            if (all.isEmpty()) return Optional.empty();
            Path latest = all.get(all.size() - 1);
            Checkpoint.Meta meta = Checkpoint.readMeta(latest);
            String kind = Checkpoint.KIND_PREDICTOR.equals(meta.kind())
                    ? PredictorArch.fromArch(meta.arch()).net().kind().id() : meta.kind();
            return Optional.of(new Run(dir, kind, Files.getLastModifiedTime(latest.resolve(Checkpoint.META))));
        } catch (RuntimeException | IOException e) {
            return Optional.empty(); // an unreadable folder is not a run to pick
        }
    }

    public List<Run> all() { return List.copyOf(runs); }

    /** The newest run of a kind ("dp", "step", "spatial"). */
    public Optional<Path> newest(String kind) {
        return runs.stream().filter(r -> r.kind().equals(kind))
                .max(Comparator.comparing(Run::written).thenComparing(Run::dir)).map(Run::dir);
    }

    /** The newest predictor run of each kind found, by kind, and the newest BRIDGeR run ("bridger"). */
    public Map<String, Path> newestPredictors() {
        Map<String, Path> out = new LinkedHashMap<>();
        // BRIDGeR's model is read beside the DP like a predictor (kind "bridger", runs/bridger-TASK)
        for (String kind : List.of("step", "spatial", Checkpoint.KIND_BRIDGER)) newest(kind).ifPresent(p -> out.put(kind, p));
        return out;
    }
}
