package org.steppolicy.train;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.ImageSpecs;

/**
 * Throughput of the image data path alone (lazy decode, random crop, CHW floats), in windows per second: the first
 * epoch (cold: episodes decoded on first use) and a second one (warm: served from the byte cache).
 * <pre>java -cp ... org.steppolicy.train.ImageWindowsBench configs/pusht_image-small.yaml</pre>
 */
public final class ImageWindowsBench {
    public static void main(String[] args) {
        StepConfig c = ConfigLoader.load(Path.of(args.length > 0 ? args[0] : "configs/pusht_image-small.yaml"), java.util.List.of());
        ImageObsSpec spec = ImageSpecs.dp(c);
        long t0 = System.nanoTime();
        TrainingData d = TrainingData.load(c, null, spec);
        System.out.printf("load (low-dim data, normaliser, frame index): %.2f s%n", (System.nanoTime() - t0) / 1e9);
        ImageWindows w = d.trainImages();
        int n = d.train().size(), T = d.train().horizon(), Do = d.train().obsDim(), Da = d.train().actionDim();
        float[] obs = new float[T * Do], act = new float[T * Da], out = new float[c.task().nObsSteps() * spec.stepDim()];
        for (int epoch = 0; epoch < 2; epoch++) {
            SplittableRandom rng = new SplittableRandom(epoch);
            long s = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int k = rng.nextInt(n);
                d.train().window(k, obs, 0, act, 0, null, 0);
                w.fill(k, obs, 0, rng, out, 0);
            }
            double sec = (System.nanoTime() - s) / 1e9;
            System.out.printf("epoch %d (%s): %d windows in %.2f s = %.0f windows/s; decoded episodes %d, cache %.0f MB%n", epoch,
                    epoch == 0 ? "cold" : "warm", n, sec, n / sec, w.frames().decodedEpisodes(), w.frames().cachedBytes() / 1e6);
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.out.printf("heap in use after the epochs: %.0f MB%n", (rt.totalMemory() - rt.freeMemory()) / 1e6);
    }
}
