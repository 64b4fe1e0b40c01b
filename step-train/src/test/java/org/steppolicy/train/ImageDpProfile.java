package org.steppolicy.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.models.ImageSpecs;

/**
 * Not a test: the image DP's training step of a config (as {@code step bench train} times it) with SameDiff's op
 * times summed by op type, for docs/performance.md.
 * Usage: java ... ImageDpProfile configs/pusht_image-small.yaml [key=value overrides ...] -- steps=1 warm=1 top=25
 */
public final class ImageDpProfile {
    public static void main(String[] args) {
        int split = Arrays.asList(args).indexOf("--");
        String[] cfg = split < 0 ? args : Arrays.copyOfRange(args, 0, split);
        Map<String, String> a = new java.util.HashMap<>();
        if (split >= 0) for (String s : Arrays.copyOfRange(args, split + 1, args.length)) a.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        int steps = Integer.parseInt(a.getOrDefault("steps", "1")), warm = Integer.parseInt(a.getOrDefault("warm", "1"));
        StepConfig c = ConfigLoader.load(Path.of(cfg[0]), Arrays.asList(cfg).subList(1, cfg.length));
        DpTrainSettings s = TrainSettings.dp(c, c.training().batchSize(), 1000L);
        DpTask task = TrainBench.imageTask(s, ImageSpecs.dp(c), c.task().actionDim());
        TrainGraph g = task.graph();
        PredictorTrainBench.OpTimer timer = new PredictorTrainBench.OpTimer();
        g.sameDiff().setListeners(timer);
        AdamW opt = new AdamW(s.trainerSettings().adam());
        EmaModel ema = new EmaModel(s.trainerSettings().ema(), g.params());
        for (int i = 0; i < warm + steps; i++) {
            long t0 = System.nanoTime(), c0 = PredictorTrainBench.cpuNanos();
            Map<String, INDArray> feed = task.trainFeed(i);
            long t1 = System.nanoTime();
            TrainGraph.Result r = g.lossAndGradients(feed);
            long t2 = System.nanoTime();
            opt.step(g.params(), r.gradients(), 1e-4);
            r.close();
            TrainGraph.release(feed);
            g.collectNative();
            ema.update(g.params());
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "step %d: total %.0f ms (feed %.0f, fwd+bwd %.0f, adamw+gc+ema %.0f), process cpu %.0f ms%n", i,
                    (t3 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (PredictorTrainBench.cpuNanos() - c0) / 1e6);
            if (i == warm - 1) timer.reset();
        }
        timer.print(steps, Integer.parseInt(a.getOrDefault("top", "25")));
    }
}
