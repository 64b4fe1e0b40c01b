package org.steppolicy.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.steppolicy.models.PredictorNetConfig.Kind;

/** Manual experiment: per-step time split of the tiny predictor. */
final class PredProbeMain {
    public static void main(String[] a) {
        WindowSource train = PredictorTrainerTest.lines(512, 1);
        PredictorTrainSettings s = PredictorTrainSettings.paper(Kind.STEP).withNet(16, 2, 32, 0, 1, 1).withSchedule(32, 100, 3e-3, 20, 50, 100);
        PredictorTask task = new PredictorTask(s, train, null, "{}");
        TrainGraph g = task.graph();
        AdamW opt = new AdamW(new AdamW.Settings(0.9, 0.999, 1e-8, 1e-4));
        System.out.println("ops " + g.sameDiff().getOps().size() + " params " + g.parameterCount());
        for (int i = 0; i < Integer.parseInt(a[0]); i++) {
            long t0 = System.nanoTime();
            Map<String, INDArray> feed = task.trainFeed(i);
            long t1 = System.nanoTime();
            TrainGraph.Result r = g.lossAndGradients(feed);
            long t2 = System.nanoTime();
            opt.step(g.params(), r.gradients(), 1e-3);
            long t3 = System.nanoTime();
            if (a.length > 1) System.gc();
            long t4 = System.nanoTime();
            System.out.printf("feed %.1f grads %.1f adamw %.1f gc %.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
        }
    }
}
