package org.steppolicy.sweep;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.steppolicy.config.Require;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.eval.EpisodeResult;
import org.steppolicy.eval.EvalReport;
import org.steppolicy.eval.LoadedPolicy;
import org.steppolicy.eval.MethodResult;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.run.RunFolder;
import org.steppolicy.train.ProgressBar;

/**
 * The sweep's driver: checks every cell on the driver (a bad key, path or method fails before Spark starts), runs
 * every cell x seed block as a Spark task ({@link BlockRunner}), and writes the folder: config.yaml, grid.yaml,
 * results.md (one row per cell, means with 95 % intervals), results.json (per cell, per-episode scores and seeds, as
 * `step eval` writes), results.csv (every episode) and score_vs_latency.png (every cell).
 */
public final class Sweep {
    private Sweep() {}

    /** Runs the sweep; one line per step to {@code log}, the progress bar (cells done / total, ETA) to {@code progress}. */
    public static SweepSummary run(SweepRequest r, PrintWriter log, PrintStream progress) {
        Require.atLeast("--partitions", r.partitions(), 0);
        StepConfig base = r.config();
        if (!base.task().hasSimulator())
            throw new UserError("task " + base.task().name() + " has no simulator: sweeps run closed-loop Push-T episodes; "
                    + "evaluate it offline with `step eval`");
        SweepGrid grid = r.grid();
        List<SweepGrid.Cell> cells = grid.cells();
        List<Integer> steps = new ArrayList<>();
        // Every cell is checked here, on the driver, as `step eval` checks its methods before any rollout.
        for (SweepGrid.Cell cell : cells) {
            StepConfig c = cellConfig(grid, cell, base);
            LoadedPolicy policy = load(grid, cell, c);
            var models = policy.models(RuntimeKind.parse(c.inference().runtime()));
            InferenceSettings settings = InferenceSettings.from(c.inference());
            try {
                policy.check(cell.method().spec(), models, settings);
            } catch (UserError e) {
                throw new UserError(grid.file() + ": cell '" + cell.label() + "': " + e.getMessage(), e);
            }
            steps.add(cell.method().spec().config(settings).steps());
        }
        List<BlockTask> tasks = tasks(grid, cells, base);
        RunFolder folder = RunFolder.claim(r.out(), RunFolder.Kind.SWEEP, r.force(), false);
        try {
            folder.writeText("config.yaml", base.toYaml());
            folder.writeText("grid.yaml", grid.text());
            int partitions = r.partitions() == 0 ? tasks.size() : Math.min(r.partitions(), tasks.size());
            log.printf("sweep: %d cells (%d policies x %d methods) x %d seed blocks = %d tasks, %d episodes of %d steps per cell%n",
                    cells.size(), grid.policies().size(), grid.methods().size(), grid.seeds().size(), tasks.size(), grid.episodesPerCell(),
                    base.task().evalMaxSteps());
            log.flush();
            long t0 = System.nanoTime();
            List<EpisodeRow> rows;
            String master;
            try (JavaSparkContext sc = new JavaSparkContext(conf(r.master()))) {
                master = sc.master();
                log.println("sweep: Spark " + sc.version() + " on " + master + ", " + partitions + " partitions");
                log.flush();
                CollectionAccumulator<String> done = sc.sc().collectionAccumulator("blocks done");
                JavaFutureAction<List<EpisodeRow>> job = sc.parallelize(tasks, partitions)
                        .mapPartitions(new BlockRunner(done, r.failFirstAttempt()))
                        .collectAsync();
                rows = await(job, done, cells.size(), grid.seeds().size(), progress);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            List<MethodResult> results = new ArrayList<>();
            List<SweepEpisode> episodes = new ArrayList<>();
            Map<Integer, List<EpisodeRow>> byCell = new TreeMap<>();
            for (EpisodeRow row : rows) byCell.computeIfAbsent(row.cell(), k -> new ArrayList<>()).add(row);
            for (SweepGrid.Cell cell : cells) {
                List<EpisodeRow> mine = byCell.getOrDefault(cell.index(), List.of()).stream().sorted(Comparator.comparingLong(EpisodeRow::seed)).toList();
                if (mine.size() != grid.episodesPerCell())
                    throw new IllegalStateException("cell " + cell.label() + ": " + mine.size() + " episodes came back, " + grid.episodesPerCell() + " planned");
                List<EpisodeResult> eps = mine.stream().map(EpisodeRow::result).toList();
                results.add(MethodResult.of(cell.label(), steps.get(cell.index()), eps));
                for (int i = 0; i < mine.size(); i++) {
                    EpisodeRow row = mine.get(i);
                    episodes.add(new SweepEpisode(cell.index(), cell.label(), cell.policy().name(), cell.method().spec().label(),
                            String.join(" ", cell.method().overrides()), row.block(), row.seed(), row.score(), row.success(), row.steps(),
                            LatencySummary.of(eps.get(i).calls())));
                }
            }
            Path dir = r.out();
            String title = base.task().name() + " sweep: " + cells.size() + " cells x " + grid.episodesPerCell() + " episodes";
            EvalReport.write(results, null, dir, title, null);
            StringBuilder csv = new StringBuilder(SweepEpisode.HEADER).append('\n');
            for (SweepEpisode e : episodes) csv.append(e.csv()).append('\n');
            EvalReport.writeAtomically(dir.resolve("results.csv"), csv.toString());
            return new SweepSummary(dir, results, episodes, master, wall);
        } finally {
            folder.close();   // the lock goes; a failed sweep keeps what it wrote (config.yaml, grid.yaml)
        }
    }

    /** The cell's config: the sweep's, with the method's inference overrides (a bad key names the grid entry). */
    static StepConfig cellConfig(SweepGrid grid, SweepGrid.Cell cell, StepConfig base) {
        if (cell.method().overrides().isEmpty()) return base;
        try {
            return base.with(cell.method().overrides().toArray(String[]::new));
        } catch (UserError e) {
            throw new UserError(grid.file() + ": method '" + cell.method().label() + "': " + e.getMessage(), e);
        }
    }

    private static LoadedPolicy load(SweepGrid grid, SweepGrid.Cell cell, StepConfig c) {
        try {
            return PolicyCache.get(c, cell.policy().path(), cell.policy().predictors());
        } catch (UserError e) {
            throw new UserError(grid.file() + ": policy '" + cell.policy().name() + "': " + e.getMessage(), e);
        }
    }

    /** Cell-major, so that cells finish one after another and the progress bar moves early. */
    static List<BlockTask> tasks(SweepGrid grid, List<SweepGrid.Cell> cells, StepConfig base) {
        String yaml = base.toYaml();
        List<BlockTask> out = new ArrayList<>();
        for (SweepGrid.Cell cell : cells)
            for (int b = 0; b < grid.seeds().size(); b++) {
                SweepGrid.SeedBlock block = grid.seeds().get(b);
                out.add(new BlockTask(cell.index(), b, abs(cell.policy().path()), cell.policy().predictors().stream().map(Sweep::abs).toList(),
                        cell.method().spec().label(), cell.method().overrides(), yaml, block.seed(), block.episodes()));
            }
        return out;
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /**
     * The master given, else the one spark-submit set (spark.master), else local[*]. In local mode Spark's web UI stays
     * off (the progress bar says what it would) and the driver binds to the loopback interface.
     */
    static SparkConf conf(String master) {
        SparkConf conf = new SparkConf().setAppName("step sweep");
        if (master != null) conf.setMaster(master);
        else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    /**
     * Waits for the job, drawing cells done / total with an ETA; the bar and the ETA count seed blocks (a cell's share
     * of work), so the ETA is there before the first cell ends. A task's UserError comes back as one.
     */
    private static List<EpisodeRow> await(JavaFutureAction<List<EpisodeRow>> job, CollectionAccumulator<String> done, int cells,
                                          int blocks, PrintStream progress) {
        ProgressBar bar = progress == null ? null : new ProgressBar(progress, 0, (long) cells * blocks);
        try {
            while (true) {
                try {
                    List<EpisodeRow> rows = job.get(500, TimeUnit.MILLISECONDS);
                    if (bar != null) {
                        bar.update((long) cells * blocks, "blocks", "cells " + cells + "/" + cells + " done");
                        bar.finish();
                    }
                    return rows;
                } catch (TimeoutException e) {
                    if (bar != null) {
                        List<String> d = List.copyOf(done.value());
                        bar.update(new HashSet<>(d).size(), "blocks", "cells " + cellsDone(d, blocks) + "/" + cells + " done");
                    }
                }
            }
        } catch (InterruptedException e) {
            job.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            if (bar != null) bar.finish();
            throw taskFailure(e.getCause());
        }
    }

    /** Cells whose every seed block is done; a block reported twice (a retried task) counts once. */
    static int cellsDone(List<String> blocksDone, int blocks) {
        Map<String, Set<String>> byCell = new TreeMap<>();
        for (String b : List.copyOf(blocksDone)) {
            String[] p = b.split(":");
            byCell.computeIfAbsent(p[0], k -> new HashSet<>()).add(p[1]);
        }
        return (int) byCell.values().stream().filter(s -> s.size() >= blocks).count();
    }

    private static final Pattern USER_ERROR = Pattern.compile("org\\.steppolicy\\.config\\.UserError: ([^\\n]*)");

    /** Spark reports an executor's exception as text: a UserError there (e.g. a policy folder it cannot read) stays one. */
    static RuntimeException taskFailure(Throwable cause) {
        Matcher m = USER_ERROR.matcher(String.valueOf(cause == null ? null : cause.getMessage()));
        if (m.find()) return new UserError("a sweep task failed: " + m.group(1), cause);
        return cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    }
}
