package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StepPredictorNetTest {

    private static PredictorNetConfig small(PredictorNetConfig.Kind kind, double dropout) {
        return new PredictorNetConfig(5, 2, 2, 8, 16, 4, 32, dropout, 2, 2, kind);
    }

    @Test
    void parameterNamesFollowPyTorch() {
        StepPredictorNet net = new StepPredictorNet(PredictorNetConfig.defaults(20, 2, 2, 16, PredictorNetConfig.Kind.STEP));
        Map<String, ParamSpec> p = net.parameters();
        for (String n : List.of("obs_emb.weight", "prev_emb.bias", "encoder.layers.1.self_attn.in_proj_weight",
                "encoder.layers.0.self_attn.out_proj.weight", "encoder.layers.0.linear1.weight", "encoder.layers.0.norm2.bias",
                "encoder.norm.weight", "query_tokens", "decoder.layers.1.multihead_attn.in_proj_bias",
                "decoder.layers.0.norm3.weight", "head_norm.weight", "head.weight")) {
            assertTrue(p.containsKey(n), n);
        }
        assertEquals(List.of(128L, 384L), List.of(p.get("decoder.layers.0.self_attn.in_proj_weight").shape()[0],
                p.get("decoder.layers.0.self_attn.in_proj_weight").shape()[1]));
        // d=128, ff=256: an encoder layer has 4*128*128+4*128 (attention) + 2*128*256+256+128 (FFN) + 4*128 (norms).
        long enc = 4L * 128 * 128 + 4 * 128 + 2L * 128 * 256 + 256 + 128 + 4 * 128;
        long dec = enc + 4L * 128 * 128 + 4 * 128 + 2 * 128;
        long expected = (20 * 128 + 128) + (2 * 128 + 128) + 2 * enc + 2 * 128 + 16 * 128 + 2 * dec + 2 * 128 + (128 * 2 + 2);
        assertEquals(expected, net.parameterCount());
        StepPredictorNet spatial = new StepPredictorNet(PredictorNetConfig.defaults(20, 2, 2, 16, PredictorNetConfig.Kind.SPATIAL));
        assertFalse(spatial.parameters().containsKey("prev_emb.weight"));
        assertEquals(expected - (2 * 128 + 128), spatial.parameterCount());
    }

    @Test
    void dropoutOnlyInTraining() {
        StepPredictorNet net = new StepPredictorNet(small(PredictorNetConfig.Kind.STEP, 0.3));
        TensorStore p = net.initParams(1);
        Map<String, INDArray> feed = feed(new Random(5), 4, 8);
        SameDiff infer = SameDiffBuilder.build(net, p, false);
        INDArray a = infer.output(feed, StepPredictorNet.ACTION_PRED).get(StepPredictorNet.ACTION_PRED).dup();
        INDArray b = infer.output(feed, StepPredictorNet.ACTION_PRED).get(StepPredictorNet.ACTION_PRED).dup();
        assertEquals(a, b);
        SameDiff train = SameDiff.create();
        net.buildTraining(train, p, 4);
        INDArray c = train.output(feed, StepPredictorNet.ACTION_PRED).get(StepPredictorNet.ACTION_PRED).dup();
        INDArray d = train.output(feed, StepPredictorNet.ACTION_PRED).get(StepPredictorNet.ACTION_PRED).dup();
        assertFalse(c.equalsWithEps(d, 1e-6), "dropout masks should differ between calls");
        assertFalse(a.equalsWithEps(c, 1e-6));
        // The training graph backpropagates through the masks.
        SDVariable target = train.placeHolder("target", DataType.FLOAT, 4, 8, 2);
        train.math.square(train.getVariable(StepPredictorNet.ACTION_PRED).sub(target)).mean("loss");
        train.setLossVariables("loss");
        feed.put("target", Nd4j.zeros(DataType.FLOAT, 4, 8, 2));
        Map<String, INDArray> g = train.calculateGradients(feed, net.parameters().keySet());
        for (String n : net.parameters().keySet()) {
            assertTrue(g.get(n) != null && !g.get(n).isNaN().any() && g.get(n).amaxNumber().doubleValue() > 0, n);
        }
    }

    @Test
    void inverseDropoutKeepsTheMean() {
        SameDiff sd = SameDiff.create();
        SameDiffBuilder b = SameDiffBuilder.forTraining(sd, new TensorStore(), 20);
        SDVariable x = b.input("x", -1, 1000);
        b.output("y", b.dropout(x, 0.25));
        INDArray y = sd.output(Map.of("x", Nd4j.ones(DataType.FLOAT, 20, 1000)), "y").get("y");
        double zeros = y.eq(0).castTo(DataType.FLOAT).meanNumber().doubleValue();
        assertEquals(0.25, zeros, 0.01);
        assertEquals(1.0, y.meanNumber().doubleValue(), 0.02);
        assertEquals(4.0 / 3, y.maxNumber().doubleValue(), 1e-6);
    }

    /** Backprop through attention, erf-GELU, LayerNorm and the sliced in-projection against central differences. */
    @Test
    void gradientsMatchFiniteDifferences() {
        StepPredictorNet net = new StepPredictorNet(small(PredictorNetConfig.Kind.STEP, 0.1));
        TensorStore init = OnnxEquivalenceTest.perturbed(net.initParams(2), new Random(6));
        SameDiff sd = SameDiff.create();
        net.define(new SameDiffBuilder(sd, n -> Nd4j.create(init.get(n).data(), init.get(n).shape(), 'c'), DataType.DOUBLE, false));
        SDVariable target = sd.placeHolder("target", DataType.DOUBLE, -1, 8, 2);
        sd.math.square(sd.getVariable(StepPredictorNet.ACTION_PRED).sub(target)).mean("loss");
        sd.setLossVariables("loss");
        Random r = new Random(7);
        Map<String, INDArray> feed = new HashMap<>();
        feed(r, 3, 8).forEach((k, v) -> feed.put(k, v.castTo(DataType.DOUBLE)));
        feed.put("target", Nd4j.randn(DataType.DOUBLE, 3, 8, 2));
        List<String> names = List.of("obs_emb.weight", "prev_emb.weight", "encoder.layers.0.self_attn.in_proj_weight",
                "encoder.layers.1.linear1.weight", "encoder.norm.weight", "query_tokens",
                "decoder.layers.0.multihead_attn.in_proj_weight", "decoder.layers.1.norm3.bias", "head.weight");
        Map<String, INDArray> grads = sd.calculateGradients(feed, names);
        for (String n : names) {
            INDArray w = sd.getVariable(n).getArr();
            for (int k = 0; k < 2; k++) {
                long i = r.nextInt((int) w.length());
                double orig = w.getDouble(i);
                double h = 1e-5;
                w.putScalar(i, orig + h);
                double up = sd.output(feed, "loss").get("loss").getDouble(0);
                w.putScalar(i, orig - h);
                double down = sd.output(feed, "loss").get("loss").getDouble(0);
                w.putScalar(i, orig);
                double fd = (up - down) / (2 * h);
                double an = grads.get(n).getDouble(i);
                assertEquals(fd, an, 1e-6 + 1e-4 * Math.abs(fd), n + "[" + i + "]");
            }
        }
    }

    private static Map<String, INDArray> feed(Random r, int batch, int horizon) {
        Map<String, INDArray> f = new HashMap<>();
        f.put(StepPredictorNet.OBS, Nd4j.create(OnnxEquivalenceTest.gaussian(r, batch * 2 * 5), new long[] {batch, 2, 5}, 'c'));
        f.put(StepPredictorNet.PREV_ACTION, Nd4j.create(OnnxEquivalenceTest.gaussian(r, batch * horizon * 2),
                new long[] {batch, horizon, 2}, 'c'));
        return f;
    }
}
