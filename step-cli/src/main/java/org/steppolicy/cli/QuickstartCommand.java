package org.steppolicy.cli;

import org.steppolicy.cli.eval.EvalReport;
import org.steppolicy.cli.eval.MethodResult;
import org.steppolicy.config.Require;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.train.TrainRuns;
import org.steppolicy.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code step quickstart}: the whole pipeline in a bounded time on the official Push-T data: train the small DP, the
 * STEP predictor and the spatial-only predictor (each for its share of --minutes), then evaluate every method on
 * --episodes seeds and print the table.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Train pusht-small and both predictors for a bounded time, then evaluate all methods (table on stdout).")
public final class QuickstartCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--minutes", paramLabel = "M", description = "Total training budget in minutes (default 16; DP 60 %%, each predictor 20 %%).")
    double minutes = 16;

    @Option(names = "--episodes", paramLabel = "N", description = "Evaluation episodes per method (default 10).")
    int episodes = 10;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default runs/quickstart).")
    Path out = Path.of("runs", "quickstart");

    @Option(names = "--force", description = "Start over where --out holds an earlier quickstart.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter log = spec.commandLine().getOut();
        Require.positive("--minutes", minutes);
        Require.atLeast("--episodes", episodes, 1);
        StepConfig base = config.config != null ? config.resolve()
                : org.steppolicy.config.ConfigLoader.load(Path.of("configs/pusht-small.yaml"), config.overrides);
        Path data = QuickstartData.resolve(config.data, System.getenv("STEP_DATA"), base.datasetPath(),
                Path.of(System.getProperty("user.home"), ".cache", "step"), log);
        String dpMin = fmt(minutes * 0.6), predMin = fmt(minutes * 0.2);
        StepConfig c = base.with("task.dataset=" + data, "training.max_minutes=" + dpMin, "predictor_training.max_minutes=" + predMin);
        log.printf("quickstart: %s, DP %s min, predictors %s min each, %d episodes -> %s%n", data, dpMin, predMin, episodes, out);
        log.flush();

        TrainRuns.RunOptions runs = new TrainRuns.RunOptions(force, false);
        Path dpRun = out.resolve("dp");
        Trainer.Summary dp = TrainRuns.trainDp(c, dpRun, null, null, runs, System.err);
        log.printf("DP: %d steps, checkpoint %s%n", dp.lastStep(), dp.lastCheckpoint());
        Path stepRun = out.resolve("predictor-step"), spatialRun = out.resolve("predictor-spatial");
        Trainer.Summary st = TrainRuns.trainPredictor(c.with("predictor.kind=step"), stepRun, null, null, dp.lastCheckpoint(), runs, System.err);
        log.printf("STEP predictor: %d steps%n", st.lastStep());
        Trainer.Summary sp = TrainRuns.trainPredictor(c.with("predictor.kind=spatial"), spatialRun, null, null, dp.lastCheckpoint(), runs, System.err);
        log.printf("spatial predictor: %d steps%n", sp.lastStep());
        log.flush();

        List<MethodResult> results = EvalCommand.run(c, dp.lastCheckpoint(), List.of(st.lastCheckpoint(), sp.lastCheckpoint()),
                EvalCommand.parseMethods(c.eval().methods()), episodes, c.eval().seed(), c.eval().threads(),
                Math.min(1, episodes), RuntimeKind.parse(c.inference().runtime()), out.resolve("eval"), log, force);
        log.println();
        if (results != null) log.print(EvalReport.markdown(results));
        log.println("wrote " + out);
        log.flush();
        return 0;
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.4f", v); }
}
