package org.steppolicy.train;

import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Manual experiment: where does native memory go during calculateGradients training? */
final class MemProbeMain {
    public static void main(String[] a) {
        DpTrainSettings s = DpTrainSettings.pushT().withNet(java.util.List.of(64, 128, 256), 256).withSchedule(Integer.parseInt(a[0]), 1000, 500, 500, 1000);
        boolean clear = a.length > 2;
        DpTask task = DpTask.withUnet(s, TrainBench.randomWindows(256, 16, 20, 2, 1), null, "{}");
        TrainGraph g = task.graph();
        AdamW opt = new AdamW(new AdamW.Settings(0.95, 0.999, 1e-8, 1e-6));
        for (int i = 0; i < Integer.parseInt(a[1]); i++) {
            long t0 = System.nanoTime();
            Map<String, INDArray> feed = task.trainFeed(i);
            TrainGraph.Result r = g.lossAndGradients(feed);
            long t1 = System.nanoTime();
            opt.step(g.params(), r.gradients(), 1e-4);
            r.close();
            TrainGraph.release(feed);
            long t2 = System.nanoTime();
            SameDiff sd = g.sameDiff();
            StringBuilder sb = new StringBuilder();
            for (String fn : sd.definedFunctionNames()) {
                SameDiff f = sd.getFunction(fn);
                for (InferenceSession ses : f.getSessions().values()) {
                    if (ses.getMmgr() instanceof ArrayCacheMemoryMgr m)
                        sb.append(String.format(" %s cache %.0f/%.0f MB", fn, m.getCurrentCacheSize() / 1e6, m.getMaxCacheBytes() / 1e6));
                    else sb.append(" ").append(fn).append(" ").append(ses.getMmgr().getClass().getSimpleName());
                }
                if (clear) f.getSessions().clear();
            }
            if (a.length > 3) System.gc();
            {
            }
            System.out.printf("step %d grads %.0f ms adamw %.0f ms rss %.2f GB%s%n", i, (t1 - t0) / 1e6, (t2 - t1) / 1e6, TrainBench.peakRss() / 1e9, sb);
        }
    }
}
