package org.steppolicy.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

/** Manual experiment (not a test): SameDiff fit() + Adam vs calculateGradients + Java AdamW, interleaved. */
final class FitVsGradMain {
    public static void main(String[] a) {
        List<Integer> dims = java.util.Arrays.stream(a[0].split(",")).map(Integer::parseInt).toList();
        int batch = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        DpTrainSettings s = DpTrainSettings.pushT().withNet(dims, 256).withSchedule(batch, 1000, 500, 500, 1000);
        WindowSource data = TrainBench.randomWindows(batch, 16, 20, 2, 1);
        DpTask t1 = DpTask.withUnet(s, data, null, "{}");
        DpTask t2 = DpTask.withUnet(s, data, null, "{}");
        SameDiff sd2 = t2.graph().sameDiff();
        List<String> feats = new ArrayList<>(t2.trainFeed(0).keySet());
        sd2.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-4)).dataSetFeatureMapping(feats).markLabelsUnused().build());
        AdamW opt = new AdamW(new AdamW.Settings(0.95, 0.999, 1e-8, 1e-6));
        for (int r = 0; r < rounds; r++) {
            Map<String, INDArray> f1 = t1.trainFeed(r);
            long a0 = System.nanoTime();
            TrainGraph.Result res = t1.graph().lossAndGradients(f1);
            long a1 = System.nanoTime();
            opt.step(t1.graph().params(), res.gradients(), 1e-4);
            long a2 = System.nanoTime();
            Map<String, INDArray> f2 = t2.trainFeed(r);
            INDArray[] in = feats.stream().map(f2::get).toArray(INDArray[]::new);
            long b0 = System.nanoTime();
            sd2.fit(new MultiDataSet(in, new INDArray[0]));
            long b1 = System.nanoTime();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("round %d: grads %.0f ms + adamw %.0f ms | fit %.0f ms | heap used %.2f GB rss %.2f GB%n", r,
                    (a1 - a0) / 1e6, (a2 - a1) / 1e6, (b1 - b0) / 1e6, (rt.totalMemory() - rt.freeMemory()) / 1e9, TrainBench.peakRss() / 1e9);
        }
    }
}
