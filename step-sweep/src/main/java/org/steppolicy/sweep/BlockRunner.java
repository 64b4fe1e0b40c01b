package org.steppolicy.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.CollectionAccumulator;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.eval.EpisodeResult;
import org.steppolicy.eval.LoadedPolicy;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.runtime.RuntimeKind;

/**
 * What an executor runs for a partition of {@link BlockTask}s: each block's episodes through step-eval's closed-loop
 * evaluation (the route `step eval` takes), on one environment and one policy, since Spark's task slots are the
 * parallelism. An episode depends only on its seed, so neither the partitioning nor a retried task changes a score.
 * {@code done} counts finished blocks ("cell:block") for the driver's progress bar.
 */
final class BlockRunner implements FlatMapFunction<Iterator<BlockTask>, EpisodeRow> {
    private final CollectionAccumulator<String> done;
    /** Test hook: the first attempt of every task fails after its first block, so Spark retries it. */
    private final boolean failFirstAttempt;

    BlockRunner(CollectionAccumulator<String> done, boolean failFirstAttempt) {
        this.done = done;
        this.failFirstAttempt = failFirstAttempt;
    }

    @Override
    public Iterator<EpisodeRow> call(Iterator<BlockTask> tasks) {
        List<EpisodeRow> out = new ArrayList<>();
        while (tasks.hasNext()) {
            BlockTask t = tasks.next();
            for (EpisodeResult r : run(t)) out.add(EpisodeRow.of(t.cell(), t.block(), r));
            done.add(t.cell() + ":" + t.block());
            TaskContext ctx = TaskContext.get();
            if (failFirstAttempt && ctx != null && ctx.attemptNumber() == 0)
                throw new IllegalStateException("injected failure after block " + t.block() + " of cell " + t.cell() + " (test hook)");
        }
        return out.iterator();
    }

    /** One block's episodes, in seed order. */
    static List<EpisodeResult> run(BlockTask t) {
        StepConfig base = ConfigLoader.fromResolvedYaml(t.configYaml(), "the sweep's config.yaml");
        StepConfig c = t.overrides().isEmpty() ? base : base.with(t.overrides().toArray(String[]::new));
        LoadedPolicy policy = PolicyCache.get(c, Path.of(t.policyDir()), t.predictorDirs().stream().map(Path::of).toList());
        var models = policy.models(RuntimeKind.parse(c.inference().runtime()));
        return policy.closedLoop(c, models, 1).episodes(MethodSpec.parse(t.method()), t.seed(), t.episodes());
    }
}
