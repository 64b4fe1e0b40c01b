package org.steppolicy.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.models.Checkpoint;

/**
 * Closed-loop score against optimiser steps: the checkpoints of one DP training run, each evaluated with the same
 * request (methods, episodes, seeds, predictors) into its own ordinary evaluation folder {@code out/step-NNNNNNN},
 * then {@code curve.csv} and {@code curve.png} over every point. A point whose folder already holds this request's
 * complete results is read, not run again, even when training has since pruned its checkpoint; a partial one is
 * resumed. So the same command can be repeated while training goes on, or left watching for new checkpoints.
 */
public final class LearningCurve {
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");

    private LearningCurve() {}

    /**
     * {@code eval}: the request every checkpoint is evaluated with (its policy and folder are set per checkpoint);
     * {@code run}: the DP training run; {@code every}: only steps divisible by it (1: every checkpoint); {@code watch}:
     * after the checkpoints there are, look for new ones every {@code poll} until stopped; {@code out}: the folder.
     */
    public record Request(EvalRequest eval, Path run, long every, boolean watch, Duration poll, Path out) {
        public Request {
            if (every < 1) throw new UserError("--every must be >= 1, got " + every);
            if (eval.server() != null) throw new UserError("a learning curve evaluates a run's checkpoints in process, not through --server");
            if (eval.methods().isEmpty()) throw new UserError("no methods to evaluate");
            if (Checkpoint.list(run).isEmpty() && !watch)
                throw new UserError("no checkpoint in " + run + ": give a DP training run (a folder with checkpoints/step-N)");
        }
    }

    /** One method at one checkpoint; {@code valLoss} from the checkpoint's meta.json (NaN once it was pruned). */
    public record Point(long step, double valLoss, MethodResult result, Path folder) {}

    /**
     * Evaluates every selected checkpoint not yet evaluated, in step order, rewriting curve.csv and curve.png after
     * each; with {@link Request#watch()} then waits for new ones until {@code stop}. Returns every point, by step.
     */
    public static List<Point> run(Request r, PrintWriter log, BooleanSupplier stop) {
        try {
            Files.createDirectories(r.out());
        } catch (IOException e) {
            throw new UserError("cannot create " + r.out() + ": " + e.getMessage(), e);
        }
        TreeMap<Long, List<Point>> points = new TreeMap<>(earlier(r, log));
        while (true) {
            for (Path ck : checkpoints(r.run())) {
                Checkpoint.Meta meta = Checkpoint.readMeta(ck);
                if (meta.step() % r.every() != 0 || points.containsKey(meta.step())) continue;
                if (stop.getAsBoolean()) return flatten(points);
                Path dir = r.out().resolve(Checkpoint.dirName(meta.step()));
                List<MethodResult> stored = complete(r.eval(), dir);
                List<MethodResult> results;
                try {
                    results = stored != null ? stored : evaluate(r.eval(), ck, dir, stop);
                } catch (UserError e) {
                    // A run that is still training keeps only its last few checkpoints; one can go while it waits here.
                    if (Files.exists(ck.resolve(Checkpoint.META))) throw e;
                    log.println("step " + meta.step() + ": training pruned its checkpoint before it was evaluated; skipped");
                    continue;
                }
                points.put(meta.step(), results.stream().map(m -> new Point(meta.step(), meta.valLoss(), m, dir)).toList());
                write(flatten(points), r);
                log.println("step " + meta.step() + ": " + describe(results) + (stored != null ? " (read from " + dir + ")" : ""));
                log.flush();
            }
            if (!r.watch() || !waitFor(r.poll(), stop)) break;
        }
        if (!points.isEmpty()) write(flatten(points), r);
        return flatten(points);
    }

    /**
     * The run's complete checkpoints; listed again after a moment when one vanished while they were read (a run still
     * training prunes old ones).
     */
    private static List<Path> checkpoints(Path run) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Checkpoint.list(run);
            } catch (UserError | UncheckedIOException e) {
                if (attempt == 3) throw e;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The points already in {@code out} whose checkpoint is gone (pruned by training): read from their folders. */
    private static TreeMap<Long, List<Point>> earlier(Request r, PrintWriter log) {
        TreeMap<Long, List<Point>> found = new TreeMap<>();
        List<Long> present = checkpoints(r.run()).stream().map(p -> Checkpoint.readMeta(p).step()).toList();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(r.out(), "step-*")) {
            for (Path dir : ds) {
                Matcher m = STEP_DIR.matcher(dir.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(dir)) continue;
                long step = Long.parseLong(m.group(1));
                if (step % r.every() != 0 || present.contains(step)) continue;
                List<MethodResult> stored = complete(r.eval(), dir);
                if (stored == null) {
                    log.println(dir + ": not this request's complete results and its checkpoint is gone; left out");
                    continue;
                }
                found.put(step, stored.stream().map(res -> new Point(step, Double.NaN, res, dir)).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + r.out(), e);
        }
        return found;
    }

    /** One checkpoint evaluated into {@code dir} (resumed when begun there before). */
    private static List<MethodResult> evaluate(EvalRequest template, Path checkpoint, Path dir, BooleanSupplier stop) {
        EvalRequest r = template.withDp(checkpoint).withOut(dir).withForce(false);
        if (Files.isDirectory(dir)) r = r.withResume(dir);   // begun before: the resume checks it is this request
        return Evaluation.run(r, new PrintWriter(PrintWriter.nullWriter()), stop).closedLoop();
    }

    /** The folder's results when they are the request's methods, each complete over its episodes and seeds; else null. */
    static List<MethodResult> complete(EvalRequest r, Path dir) {
        Path json = dir.resolve(EvalReport.RESULTS_JSON);
        if (!Files.isRegularFile(json)) return null;
        List<MethodResult> stored = EvalReport.read(json).stream().map(EvalReport.Stored::result).toList();
        List<String> labels = r.methods().stream().map(MethodSpec::label).toList();
        if (!stored.stream().map(MethodResult::method).toList().equals(labels)) return null;
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < r.episodes(); i++) seeds.add(r.seed() + i);
        for (MethodResult m : stored) if (!m.complete() || !m.episodeSeeds().equals(seeds)) return null;
        return stored;
    }

    /** Waits {@code poll}, looking at {@code stop} every 200 ms; false when stopped. */
    private static boolean waitFor(Duration poll, BooleanSupplier stop) {
        long end = System.nanoTime() + poll.toNanos();
        while (System.nanoTime() < end) {
            if (stop.getAsBoolean()) return false;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stop.getAsBoolean();
    }

    private static List<Point> flatten(TreeMap<Long, List<Point>> points) {
        return points.values().stream().flatMap(List::stream).toList();
    }

    private static String describe(List<MethodResult> results) {
        return String.join(", ", results.stream().map(m -> m.method() + " " + m.scoreInterval().format()).toList());
    }

    /** curve.csv (one row a method and checkpoint) and curve.png. */
    private static void write(List<Point> points, Request r) {
        StringBuilder csv = new StringBuilder("step,method,episodes,mean_score,ci95_low,ci95_high,success_rate,val_loss,folder\n");
        for (Point p : points) {
            BootstrapInterval ci = p.result().scoreInterval();
            csv.append(String.format(Locale.ROOT, "%d,%s,%d,%.6f,%.6f,%.6f,%.4f,%s,%s%n", p.step(), p.result().method(),
                    p.result().episodes(), ci.mean(), ci.lo(), ci.hi(), p.result().successRate(),
                    Double.isNaN(p.valLoss()) ? "" : String.format(Locale.ROOT, "%.6g", p.valLoss()), p.folder().getFileName()));
        }
        EvalReport.writeAtomically(r.out().resolve(CSV), csv.toString());
        CurvePlot.write(points, title(r), r.out().resolve(PNG));
    }

    static String title(Request r) {
        EvalRequest e = r.eval();
        return e.config().task().name() + " learning curve: " + e.episodes() + " episodes a point, seeds " + e.seed() + "-" + (e.seed() + e.episodes() - 1);
    }

    public static final String CSV = "curve.csv", PNG = "curve.png";
}
