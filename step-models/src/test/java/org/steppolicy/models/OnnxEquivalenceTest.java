package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ONNX rendering, run in ONNX Runtime, against the SameDiff rendering of the same description and weights. */
class OnnxEquivalenceTest {

    private static final double TOL = 1e-4;

    @Test
    void unetGlobalCondition() throws Exception {
        ConditionalUnet1d net = new ConditionalUnet1d(UnetConfig.of(2, 40, List.of(16, 32, 64), 32), 16);
        Map<String, float[]> in = new LinkedHashMap<>();
        int batch = 3;
        Random r = new Random(1);
        in.put("sample", gaussian(r, batch * 16 * 2));
        in.put("timestep", new float[] {0, 17, 99});
        in.put("global_cond", gaussian(r, batch * 40));
        Map<String, long[]> shapes = Map.of("sample", new long[] {batch, 16, 2}, "timestep", new long[] {batch},
                "global_cond", new long[] {batch, 40});
        compare(net, net.initParams(7), in, shapes, new long[] {batch, 16, 2});
    }

    /** cond_predict_scale false: the condition is added, not FiLM (a different layout path in SameDiffBuilder). */
    @Test
    void unetAdditiveCondition() throws Exception {
        ConditionalUnet1d net = new ConditionalUnet1d(new UnetConfig(2, 40, List.of(16, 32, 64), 5, 8, 32, false), 16);
        Map<String, float[]> in = new LinkedHashMap<>();
        int batch = 2;
        Random r = new Random(4);
        in.put("sample", gaussian(r, batch * 16 * 2));
        in.put("timestep", new float[] {5, 80});
        in.put("global_cond", gaussian(r, batch * 40));
        Map<String, long[]> shapes = Map.of("sample", new long[] {batch, 16, 2}, "timestep", new long[] {batch},
                "global_cond", new long[] {batch, 40});
        compare(net, net.initParams(11), in, shapes, new long[] {batch, 16, 2});
    }

    @Test
    void unetInpainting() throws Exception {
        ConditionalUnet1d net = new ConditionalUnet1d(UnetConfig.of(22, 0, List.of(16, 32, 64), 32), 16);
        int batch = 2;
        Random r = new Random(2);
        Map<String, float[]> in = new LinkedHashMap<>();
        in.put("sample", gaussian(r, batch * 16 * 22));
        in.put("timestep", new float[] {3, 64});
        compare(net, net.initParams(8), in, Map.of("sample", new long[] {batch, 16, 22}, "timestep", new long[] {batch}),
                new long[] {batch, 16, 22});
    }

    @Test
    void stepPredictor() throws Exception {
        StepPredictorNet net = new StepPredictorNet(PredictorNetConfig.defaults(20, 2, 2, 16, PredictorNetConfig.Kind.STEP));
        int batch = 3;
        Random r = new Random(3);
        Map<String, float[]> in = new LinkedHashMap<>();
        in.put("obs", gaussian(r, batch * 2 * 20));
        in.put("prev_action", gaussian(r, batch * 16 * 2));
        compare(net, net.initParams(9), in, Map.of("obs", new long[] {batch, 2, 20}, "prev_action", new long[] {batch, 16, 2}),
                new long[] {batch, 16, 2});
    }

    @Test
    void spatialPredictor() throws Exception {
        StepPredictorNet net = new StepPredictorNet(PredictorNetConfig.defaults(20, 2, 2, 16, PredictorNetConfig.Kind.SPATIAL));
        assertEquals(List.of("obs"), net.inputNames());
        int batch = 2;
        Map<String, float[]> in = Map.of("obs", gaussian(new Random(4), batch * 2 * 20));
        compare(net, net.initParams(10), in, Map.of("obs", new long[] {batch, 2, 20}), new long[] {batch, 16, 2});
    }

    /** The CVAE source's decoder (bridger_source.onnx): SameDiff and ONNX Runtime agree. */
    @Test
    void cvaeDecoder() throws Exception {
        CvaeDecoderNet net = new CvaeArch(4, List.of(32, 16), 16, 2, 10).decoder();
        int batch = 3;
        Random r = new Random(5);
        Map<String, float[]> in = new LinkedHashMap<>();
        in.put(CvaeDecoderNet.LATENT, gaussian(r, batch * 4));
        in.put(ConditionalUnet1d.GLOBAL_COND, gaussian(r, batch * 10));
        compare(net, net.initParams(11), in, Map.of(CvaeDecoderNet.LATENT, new long[] {batch, 4}, ConditionalUnet1d.GLOBAL_COND,
                new long[] {batch, 10}), new long[] {batch, 16, 2});
    }

    /**
     * Initial weights leave norms at (1, 0) and make the predictor's attention nearly uniform (N(0, 0.02)), which
     * would hide layout mistakes: every tensor gets N(0, 0.3) noise added first.
     */
    static void compare(NetworkDefinition net, TensorStore init, Map<String, float[]> in, Map<String, long[]> shapes,
                                long[] outShape) throws Exception {
        TensorStore params = perturbed(init, new Random(99));
        SameDiff sd = SameDiffBuilder.build(net, params, false);
        Map<String, INDArray> feed = new HashMap<>();
        for (var e : in.entrySet()) feed.put(e.getKey(), Nd4j.create(e.getValue(), shapes.get(e.getKey()), 'c'));
        INDArray expected = sd.output(feed, net.outputName()).get(net.outputName());
        assertArrayEquals(outShape, expected.shape());
        if (net instanceof ConditionalUnet1d) {   // no dropout: the training rendering (time-major) must agree too
            SameDiff train = SameDiffBuilder.build(net, params, true);
            INDArray t = train.output(feed, net.outputName()).get(net.outputName());
            assertTrue(t.equalsWithEps(expected, 1e-5), "training vs inference rendering: " + t.sub(expected).amaxNumber());
        }

        onnx.Onnx.ModelProto proto = OnnxBuilder.export(net, params, "test");
        assertEquals(8, proto.getIrVersion());
        assertEquals(17, proto.getOpsetImport(0).getVersion());
        assertEquals("batch", proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(ParamCollector.collect(net).size(), proto.getGraph().getInitializerList().stream()
                .filter(t -> params.contains(t.getName())).count(), "every parameter is an initializer under its own name");
        byte[] model = proto.toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opts)) {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                try {
                    for (var e : in.entrySet()) {
                        inputs.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), shapes.get(e.getKey())));
                    }
                    try (OrtSession.Result res = session.run(inputs)) {
                        OnnxTensor out = (OnnxTensor) res.get(net.outputName()).orElseThrow();
                        assertArrayEquals(outShape, out.getInfo().getShape());
                        float[] got = new float[(int) expected.length()];
                        out.getFloatBuffer().get(got);
                        float[] want = expected.dup('c').data().asFloat();
                        double maxErr = 0, maxAbs = 0;
                        for (int i = 0; i < got.length; i++) {
                            maxErr = Math.max(maxErr, Math.abs(got[i] - want[i]));
                            maxAbs = Math.max(maxAbs, Math.abs(want[i]));
                        }
                        assertTrue(maxAbs > 1e-3, "degenerate output");
                        assertTrue(maxErr <= TOL * Math.max(1, maxAbs), "max abs error " + maxErr + " (output scale " + maxAbs + ")");
                    }
                } finally {
                    for (OnnxTensor t : inputs.values()) t.close();
                }
            }
        }
    }

    static TensorStore perturbed(TensorStore p, Random r) {
        TensorStore out = new TensorStore();
        for (String n : p.names()) {
            float[] v = p.get(n).data().clone();
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.3 * r.nextGaussian());
            out.put(n, p.get(n).shape(), v);
        }
        return out;
    }

    static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
