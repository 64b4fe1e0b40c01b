package org.steppolicy.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DemoDataset;
import org.steppolicy.data.Episode;
import org.steppolicy.infer.Method;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.policy.TrainedPolicy;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.run.RunFolder;

/**
 * {@code step analyze contraction}: loads a policy (export folder, or DP checkpoint with predictor checkpoints), takes
 * held-out windows from the task's validation demos, runs {@link ContractionAnalysis} on ONNX Runtime and writes the
 * table, contraction.json and contraction.png into a run folder.
 */
public final class ContractionRun {
    /** What to analyse; {@code windows} caps the number of held-out windows (spread evenly over the valid demos). */
    public record Request(StepConfig config, Path dp, List<Path> predictors, int windows, int entryStep, double delta,
                          long seed, Path out, boolean force) {}

    private ContractionRun() {}

    public static ContractionAnalysis.Result run(Request r, PrintWriter log) {
        if (r.windows() < 1) throw new UserError("--windows must be >= 1, got " + r.windows());
        if (!(r.delta() > 0)) throw new UserError("--delta must be > 0, got " + r.delta());
        StepConfig c = r.config();
        TrainedPolicy trained = TrainedPolicy.load(r.dp(), r.predictors());
        PolicyShape shape = trained.shape();
        if (r.entryStep() < 0 || r.entryStep() >= trained.scheduler().trainSteps())
            throw new UserError("--entry " + r.entryStep() + " is outside the schedule's timesteps [0, " + (trained.scheduler().trainSteps() - 1) + "]");
        DemoDataset data = DemoDataset.load(c.task());
        List<List<OfflineWindow>> episodes = new ArrayList<>();
        for (Episode e : data.validEpisodes()) episodes.add(OfflineWindow.ofEpisode(e.obs(), e.actions(), shape));
        List<OfflineWindow[]> pairs = ContractionAnalysis.pairs(episodes, r.windows());
        if (pairs.isEmpty()) throw new UserError(c.task().dataset() + ": no valid demos long enough for a previous chunk");

        boolean hasStep = trained.predictorKinds().contains("step"), hasSpatial = trained.predictorKinds().contains("spatial");
        PolicyModels main = trained.open(hasStep ? Method.STEP : Method.DDIM, RuntimeKind.ONNX, 1);
        PolicyModels spatial = hasSpatial ? trained.open(Method.SPATIAL, RuntimeKind.ONNX, 1) : null;
        try (RunFolder folder = RunFolder.claim(r.out(), RunFolder.Kind.EVALUATION, r.force(), false)) {
            folder.writeText("config.yaml", c.toYaml());
            ContractionAnalysis analysis = new ContractionAnalysis(new ContractionAnalysis.Setup(shape, trained.scheduler(),
                    main.normalization().obs(), main.normalization().action(), main.denoiser(),
                    hasStep ? main.predictor() : null, spatial != null ? spatial.predictor() : null, r.entryStep(), r.delta(), r.seed()));
            log.printf("analyze contraction: %d held-out windows, starts %s, warm starts enter at t = %d -> %s%n", pairs.size(),
                    analysis.starts().stream().map(ContractionAnalysis.Start::label).toList(), r.entryStep(), r.out());
            log.flush();
            long t0 = System.nanoTime();
            ContractionAnalysis.Result result = analysis.run(pairs, i -> {
                double s = (System.nanoTime() - t0) / 1e9;
                double eta = s / (i + 1) * (pairs.size() - i - 1);
                log.printf("\rwindow %d/%d  %.0f s, ETA %.0f s   ", i + 1, pairs.size(), s, eta);
                log.flush();
            });
            log.println();
            ContractionReport.write(result, trained.provenance(), r.out());
            log.print(ContractionReport.table(result));
            log.printf("wrote %s, %s, %s in %s%n", ContractionReport.MARKDOWN, ContractionReport.JSON, ContractionReport.PLOT, r.out());
            log.flush();
            return result;
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } finally {
            main.close();
            if (spatial != null) spatial.close();
        }
    }
}
