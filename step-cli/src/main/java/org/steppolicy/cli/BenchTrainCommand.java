package org.steppolicy.cli;

import org.steppolicy.config.UserError;
import org.steppolicy.train.TrainBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code step bench train}: median DP training-step time of the config's U-Net at its batch size. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Median wall time of one DP training step (forward, backward, AdamW, EMA) at training.batch_size "
                + "(the image DP's on a config with task.image_key; or, with --model predictor, of the STEP predictor's step), "
                + "on random windows of the task's shape; prints peak resident memory too.")
public final class BenchTrainCommand extends StepCommand {
    @Mixin
    ConfigOptions config;

    /** HotSpot compiles SameDiff's executor during the first ~8 steps, which run 1.3-2x slower (docs/performance.md). */
    @Option(names = "--warmup", description = "Untimed steps first (the JIT warms up over the first ~8). Default: 8.")
    int warmup = 8;

    @Option(names = "--steps", description = "Timed steps. Default: 10.")
    int steps = 10;

    @Option(names = "--model", description = "dp (the config's DP, default: its U-Net, or on a config with task.image_key "
            + "the image DP, encoder and U-Net end to end), image (the same, refused without task.image_key) or predictor "
            + "(the STEP predictor at predictor_training.batch_size, no EMA).")
    String model = "dp";

    @Override
    public Integer call() {
        if (steps < 1 || warmup < 0) throw new UserError("--steps must be >= 1 and --warmup >= 0");
        TrainBench.Result r = switch (model) {
            case "dp" -> TrainBench.dp(config.resolve(), warmup, steps, null);
            case "image" -> TrainBench.imageDp(config.resolve(), warmup, steps, null);
            case "predictor" -> TrainBench.predictor(config.resolve(), warmup, steps, null);
            default -> throw new UserError("--model must be dp, image or predictor, got " + model);
        };
        printf("%s%n", r.report());
        return 0;
    }
}
