package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Recycling SameDiff's internal arrays between steps must not change a single bit of training. */
class RecyclingMemMgrTest {

    @Test
    void trainingWithRecycledArraysEqualsTrainingWithFreshOnes() {
        List<Double> fresh = new ArrayList<>(), recycled = new ArrayList<>();
        Map<String, INDArray> pFresh = train(false, fresh), pRecycled = train(true, recycled);
        assertEquals(fresh, recycled, "losses per step");
        for (String n : pFresh.keySet()) assertEquals(pFresh.get(n), pRecycled.get(n), n);
    }

    /** Four steps of the tiny U-Net; from the third on, every internal array of the gradient run is a reused one. */
    private static Map<String, INDArray> train(boolean recycle, List<Double> losses) {
        DpTrainSettings s = DpTrainSettings.pushT().withNet(List.of(8, 16, 32), 16).withSchedule(4, 100, 10, 100, 100);
        DpTask task = DpTask.withUnet(s, TrainBench.randomWindows(8, s.horizon(), 5, 2, 3), null, "{}");
        TrainGraph g = task.graph().recycleArrays(recycle);
        AdamW opt = new AdamW(s.trainerSettings().adam());
        for (int i = 0; i < 4; i++) {
            Map<String, INDArray> feed = task.trainFeed(i);
            try (TrainGraph.Result r = g.lossAndGradients(feed)) {
                assertTrue(Double.isFinite(r.loss()));
                losses.add(r.loss());
                opt.step(g.params(), r.gradients(), 1e-3);
            }
            TrainGraph.release(feed);
        }
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        g.params().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }
}
