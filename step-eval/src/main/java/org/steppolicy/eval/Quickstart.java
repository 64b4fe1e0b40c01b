package org.steppolicy.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.steppolicy.config.Require;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.runtime.OnnxExportFolder;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.train.RunOptions;
import org.steppolicy.train.TrainRuns;
import org.steppolicy.train.Trainer;

/**
 * {@code step quickstart}: first the shipped policy, evaluated with every method (what STEP does, on this machine,
 * within minutes); then the whole pipeline at small scale: a DP and the STEP and spatial predictors trained for the
 * minutes left of the budget, evaluated the same way. Both tables are printed with their titles at the end. Low-dim
 * and image policies go the same way; the config says which ({@link QuickstartTask}).
 */
public final class Quickstart {
    /** Share of the training minutes: DP 60 %, each predictor 20 %. */
    private static final double DP_SHARE = 0.6, PREDICTOR_SHARE = 0.2;
    /** Training never gets less than this share of the budget, even when the shipped evaluation took the rest. */
    private static final double MIN_TRAINING_SHARE = 0.1;
    /** Without a shipped evaluation to time, this share of the budget is kept for the final evaluation. */
    private static final double UNTIMED_EVAL_SHARE = 0.2;

    private Quickstart() {}

    /** Runs the request: one line per step to {@code log}, training progress to {@code progress}. */
    public static QuickstartResult run(QuickstartRequest r, PrintWriter log, PrintStream progress) {
        Require.positive("--minutes", r.minutes());
        Require.atLeast("--episodes", r.episodes(), 1);
        QuickstartTask task = QuickstartTask.of(r.config());
        Path data = QuickstartData.resolve(r.data(), System.getenv("STEP_DATA"), r.config().datasetPath(), task,
                Path.of(System.getProperty("user.home"), ".cache", "step"), log);
        long start = System.nanoTime();
        double budget = r.minutes();

        // a. The shipped policy: what a full run gives, measured here before anything is trained.
        EvalSummary shipped = null;
        String shippedTitle = null;
        double reserve = budget * UNTIMED_EVAL_SHARE;
        if (OnnxExportFolder.isExport(r.shipped())) {
            shippedTitle = "Shipped policy " + shown(r.shipped()) + describe(r.shipped()) + "; " + r.episodes() + " episodes per method";
            log.println("quickstart, 1/2: evaluating the shipped policy " + r.shipped());
            log.flush();
            EvalSources src = EvalSources.ofExport(r.shipped(), List.of(), r.methods(), true, log);
            shipped = Evaluation.run(evalRequest(r, r.config(), r.shipped(), List.of(), src.methods(), r.out().resolve("shipped-eval")), log);
            double took = minutesSince(start);
            // The short run's DP has the same size, so each method should cost about what it cost here.
            reserve = took / Math.max(1, src.methods().size()) * r.methods().size();
            log.println();
            log.println(shippedTitle + " (took " + PeopleTable.minutes(took) + ")");
            log.print(PeopleTable.format(shipped.closedLoop()));
            log.println();
        } else {
            log.println("no shipped policy at " + r.shipped() + ": going on to training");
        }

        // b. The pipeline end to end: train for what is left, keeping the final evaluation's time.
        double left = budget - minutesSince(start) - reserve, training = Math.max(left, budget * MIN_TRAINING_SHARE);
        if (left < training)
            log.println("the budget of " + PeopleTable.minutes(budget) + " is mostly spent: training for "
                    + PeopleTable.minutes(training) + " anyway (the quickstart will run over)");
        StepConfig c = r.config().with("task.dataset=" + data, "training.max_minutes=" + plain(training * DP_SHARE),
                "predictor_training.max_minutes=" + plain(training * PREDICTOR_SHARE));
        log.printf("quickstart, 2/2: training on %s for %s (DP %s, each predictor %s), then %d episodes per method -> %s%n", data,
                PeopleTable.minutes(training), PeopleTable.minutes(training * DP_SHARE), PeopleTable.minutes(training * PREDICTOR_SHARE),
                r.episodes(), r.out());
        log.flush();
        long trainStart = System.nanoTime();
        RunOptions runs = new RunOptions(r.force(), false);
        Trainer.Summary dp = TrainRuns.trainDp(c, r.out().resolve("dp"), null, null, runs, progress);
        log.println("DP: " + PeopleTable.steps(dp.lastStep()) + ", checkpoint " + dp.lastCheckpoint());
        Trainer.Summary st = TrainRuns.trainPredictor(c.with("predictor.kind=step"), r.out().resolve("predictor-step"), null, null,
                dp.lastCheckpoint(), runs, progress);
        log.println("STEP predictor: " + PeopleTable.steps(st.lastStep()));
        Trainer.Summary sp = TrainRuns.trainPredictor(c.with("predictor.kind=spatial"), r.out().resolve("predictor-spatial"), null, null,
                dp.lastCheckpoint(), runs, progress);
        log.println("spatial predictor: " + PeopleTable.steps(sp.lastStep()));
        double trained = minutesSince(trainStart);
        log.flush();

        // BRIDGeR trains for hours before it is worth a row: the short run leaves it to train-bridger.
        List<MethodSpec> shortMethods = EvalSources.servedBy(r.methods(), Set.of("step", "spatial"), "the short run", log);
        EvalSummary shortRun = Evaluation.run(evalRequest(r, c, dp.lastCheckpoint(), List.of(st.lastCheckpoint(), sp.lastCheckpoint()),
                shortMethods, r.out().resolve("eval")), log);
        String shortTitle = "Short run on this machine: DP " + PeopleTable.steps(dp.lastStep()) + ", STEP predictor "
                + PeopleTable.steps(st.lastStep()) + ", spatial predictor " + PeopleTable.steps(sp.lastStep()) + ", "
                + PeopleTable.minutes(trained) + " of training; " + r.episodes() + " episodes per method";

        log.println();
        if (shipped != null) {
            log.println(shippedTitle);
            log.print(PeopleTable.format(shipped.closedLoop()));
            log.println();
        }
        log.println(shortTitle);
        log.print(PeopleTable.format(shortRun.closedLoop()));
        log.println();
        log.println(task.fullRunNote());
        log.println("score vs latency: " + (shipped == null ? "" : shipped.out().resolve("score_vs_latency.png") + ", ")
                + shortRun.out().resolve("score_vs_latency.png"));
        double total = minutesSince(start);
        log.println("quickstart took " + PeopleTable.minutes(total) + "; everything is in " + r.out());
        log.flush();
        return new QuickstartResult(shipped, shippedTitle, shortRun, shortTitle, trained, total);
    }

    private static EvalRequest evalRequest(QuickstartRequest r, StepConfig c, Path dp, List<Path> predictors, List<MethodSpec> methods,
                                           Path out) {
        return EvalRequest.of(c, dp, predictors).withMethods(methods).withEpisodes(r.episodes()).withThreads(r.threads())
                .withVideos(Math.min(1, r.episodes())).withRuntime(RuntimeKind.ONNX).withOut(out).withForce(r.force());
    }

    /** The folder relative to the working directory when it lies below it (models/pusht-lowdim), else as given. */
    static Path shown(Path dir) {
        Path cwd = Path.of("").toAbsolutePath(), abs = dir.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs) : dir;
    }

    /** ": the first heading of its README.md", or "" when it has none: where the policy came from, in its own words. */
    static String describe(Path export) {
        try {
            Path readme = export.resolve("README.md");
            if (!Files.isRegularFile(readme)) return "";
            for (String line : Files.readAllLines(readme)) {
                if (!line.startsWith("# ")) continue;
                String h = line.substring(2).trim();
                int colon = h.indexOf(": ");
                return ": " + (colon >= 0 ? h.substring(colon + 2) : h);
            }
        } catch (IOException e) {
            // The title is a courtesy: the folder's name says enough without it.
        }
        return "";
    }

    private static double minutesSince(long nanos) { return (System.nanoTime() - nanos) / 60e9; }

    /** A config value: plain decimal, no exponent. */
    private static String plain(double v) { return String.format(Locale.ROOT, "%.4f", v); }
}
