package org.steppolicy.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Not a test: median SameDiff training-step time (forward + backward + Adam) of the U-Net at a given batch,
 * for docs/performance.md. Usage: java ... UnetTrainBench dims=64,128,256 batch=256 steps=10 warm=3
 */
public final class UnetTrainBench {

    public static void main(String[] args) {
        java.util.Map<String, String> a = new java.util.HashMap<>();
        for (String s : args) a.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        List<Integer> dims = new ArrayList<>();
        for (String d : a.getOrDefault("dims", "64,128,256").split(",")) dims.add(Integer.parseInt(d));
        int batch = Integer.parseInt(a.getOrDefault("batch", "256"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "10"));
        int warm = Integer.parseInt(a.getOrDefault("warm", "3"));
        ConditionalUnet1d net = new ConditionalUnet1d(UnetConfig.of(2, 40, dims, 256), 16);
        SameDiff sd = SameDiff.create();
        SDVariable pred = net.buildSameDiff(sd, net.initParams(0));
        SDVariable noise = sd.placeHolder("noise", DataType.FLOAT, -1, 16, 2);
        sd.math.square(pred.sub(noise)).mean("loss");
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-4)).weightDecay(1e-6, true)
                .dataSetFeatureMapping("sample", "timestep", "global_cond").dataSetLabelMapping("noise").build());
        Nd4j.getRandom().setSeed(1);
        MultiDataSet mds = new MultiDataSet(new org.nd4j.linalg.api.ndarray.INDArray[] {
                Nd4j.randn(DataType.FLOAT, batch, 16, 2), Nd4j.rand(DataType.FLOAT, batch).muli(100).castTo(DataType.INT32).castTo(DataType.FLOAT),
                Nd4j.randn(DataType.FLOAT, batch, 40)},
                new org.nd4j.linalg.api.ndarray.INDArray[] {Nd4j.randn(DataType.FLOAT, batch, 16, 2)});
        int ops = sd.getOps().size();
        if (a.containsKey("profile")) {
            sd.setListeners(org.nd4j.autodiff.listeners.profiler.ProfilingListener.builder(new java.io.File(a.get("profile")))
                    .recordAll().warmup(warm).maxProfileIterations(2).build());
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < warm + steps; i++) {
            long t0 = System.nanoTime();
            sd.fit(mds);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (i >= warm) times.add(ms);
        }
        Collections.sort(times);
        double loss = sd.output(java.util.Map.of("sample", mds.getFeatures(0), "timestep", mds.getFeatures(1),
                "global_cond", mds.getFeatures(2), "noise", mds.getLabels(0)), "loss").get("loss").getDouble(0);
        System.out.printf("RESULT impl=samediff dims=%s batch=%d forward_ops=%d params=%d train_ms_median=%.1f min=%.1f loss=%.4f%n",
                dims, batch, ops, net.parameterCount(), times.get(times.size() / 2), times.get(0), loss);
    }
}
