package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.protobuf.ByteString;

class HalfWeightsTest {

    @Test
    void everyFiniteHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            if (((h >>> 10) & 0x1f) == 31 && (h & 0x3ff) != 0) continue;   // NaNs keep only their NaN-ness
            short s = (short) h;
            assertEquals(s, HalfWeights.toHalf(HalfWeights.toFloat(s)), "half 0x" + Integer.toHexString(h));
        }
        assertEquals(0x3c00, HalfWeights.toHalf(1f));
        assertEquals((short) 0xc000, HalfWeights.toHalf(-2f));
        assertEquals(0x7bff, HalfWeights.toHalf(65504f));
        assertEquals(0x7c00, HalfWeights.toHalf(1e6f));
        assertEquals(0x0001, HalfWeights.toHalf(0x1p-24f));
        assertEquals(0, HalfWeights.toHalf(0x1p-26f));
    }

    /** The nearest half, ties to even: checked against the two halves around the value. */
    @Test
    void roundsToNearestTiesToEven() {
        Random r = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 6));
            short h = HalfWeights.toHalf(x);
            float y = HalfWeights.toFloat(h);
            float below = HalfWeights.toFloat((short) (h - 1)), above = HalfWeights.toFloat((short) (h + 1));
            double d = Math.abs(y - (double) x);
            if (h != 0 && h != (short) 0x8000) {
                assertTrue(d <= Math.abs(below - (double) x) && d <= Math.abs(above - (double) x), x + " -> " + y);
            }
        }
        // exactly between 1 and the next half (1 + 2^-10): even mantissa (1) wins; between that and the next: up
        assertEquals(0x3c00, HalfWeights.toHalf(1f + 0x1p-11f));
        assertEquals(0x3c02, HalfWeights.toHalf(1f + 3 * 0x1p-11f));
    }

    /**
     * In ONNX Runtime the stored-half model computes what the float model computes with its weights rounded to half,
     * and it is at most 55 % of the float file.
     */
    @Test
    void onnxRuntimeRunsTheHalfModelAsTheRoundedFloatModel() throws Exception {
        ConditionalUnet1d net = new ConditionalUnet1d(UnetConfig.of(2, 40, List.of(16, 32, 64), 32), 16);
        Onnx.ModelProto full = OnnxBuilder.export(net, net.initParams(7), "test");
        Onnx.ModelProto half = HalfWeights.apply(full);
        assertTrue(half.getSerializedSize() < 0.55 * full.getSerializedSize(), half.getSerializedSize() + " of " + full.getSerializedSize());
        int batch = 3;
        Random r = new Random(1);
        float[] sample = gaussian(r, batch * 16 * 2), cond = gaussian(r, batch * 40);
        Map<String, float[]> in = Map.of("sample", sample, "timestep", new float[] {0, 17, 99}, "global_cond", cond);
        Map<String, long[]> shapes = Map.of("sample", new long[] {batch, 16, 2}, "timestep", new long[] {batch},
                "global_cond", new long[] {batch, 40});
        float[] a = run(full, in, shapes), h = run(half, in, shapes), rounded = run(rounded(full), in, shapes);
        double scale = 0, dRounded = 0, dFull = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            dRounded = Math.max(dRounded, Math.abs(h[i] - rounded[i]));
            dFull = Math.max(dFull, Math.abs(h[i] - a[i]));
        }
        assertTrue(dRounded <= 1e-5 * scale, "half vs rounded float: " + dRounded + " (scale " + scale + ")");
        assertTrue(dFull > 0 && dFull <= 1e-2 * scale, "half vs float: " + dFull + " (scale " + scale + ")");
    }

    private static Onnx.ModelProto rounded(Onnx.ModelProto m) {
        Onnx.GraphProto.Builder g = m.getGraph().toBuilder().clearInitializer();
        for (Onnx.TensorProto t : m.getGraph().getInitializerList()) {
            long n = 1;
            for (long d : t.getDimsList()) n *= d;
            if (t.getDataType() != Onnx.TensorProto.DataType.FLOAT_VALUE || n < HalfWeights.MIN_ELEMENTS) {
                g.addInitializer(t);
                continue;
            }
            FloatBuffer src = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            ByteBuffer dst = ByteBuffer.allocate(4 * (int) n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) dst.putFloat(HalfWeights.toFloat(HalfWeights.toHalf(src.get(i))));
            g.addInitializer(t.toBuilder().setRawData(ByteString.copyFrom(dst.array())));
        }
        return m.toBuilder().setGraph(g).build();
    }

    private static float[] run(Onnx.ModelProto m, Map<String, float[]> in, Map<String, long[]> shapes) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(m.toByteArray(), opts)) {
                Map<String, OnnxTensor> inputs = new java.util.HashMap<>();
                try {
                    for (var e : in.entrySet())
                        inputs.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), shapes.get(e.getKey())));
                    try (OrtSession.Result res = s.run(inputs)) {
                        FloatBuffer b = ((OnnxTensor) res.get(0)).getFloatBuffer();
                        float[] out = new float[b.remaining()];
                        b.get(out);
                        return out;
                    }
                } finally {
                    for (OnnxTensor t : inputs.values()) t.close();
                }
            }
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
