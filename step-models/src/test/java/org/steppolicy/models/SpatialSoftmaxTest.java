package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;

/**
 * Spatial softmax pooling (policy.image_pool: spatial_softmax): the coordinate convention in closed form, the three
 * renderings against each other (SameDiff inference, SameDiff training pixel-major with gradients, ONNX Runtime), and
 * the key's default and absence in an old meta.json meaning avg.
 */
class SpatialSoftmaxTest {

    /** The pooling alone behind a 1×1 convolution: {@code [B, K, H, W]} to {@code [B, 2K]}. */
    private static NetworkDefinition pool(int k, int h, int w) {
        return new NetworkDefinition() {
            @Override
            public <T> void define(NetBuilder<T> b) {
                b.output("features", SpatialSoftmax.pool(b, "", b.input("image", -1, k, h, w), k, k));
            }

            @Override public List<String> inputNames() { return List.of("image"); }
            @Override public String outputName() { return "features"; }
        };
    }

    /**
     * One hot position (row 1, column 3 of a 5×4 map) in channel 2 of 3; the 1×1 convolution is 50·identity, so that
     * keypoint's softmax is all but one-hot there: its (x, y) is the position's grid coordinate (column 3 of 4 → x = 1,
     * row 1 of 5 → y = −0.5). The other two channels are flat: uniform softmax, the grid's centre (0, 0).
     */
    @Test
    void aHotPositionGivesItsOwnCoordinates() throws Exception {
        int k = 3, h = 5, w = 4;
        NetworkDefinition net = pool(k, h, w);
        float[] eye = new float[k * k];
        for (int i = 0; i < k; i++) eye[i * k + i] = 50f;   // [1, 1, in, out]
        TensorStore p = new TensorStore().put("pool.keypoints.weight", new long[] {1, 1, k, k}, eye)
                .put("pool.keypoints.bias", new long[] {k}, new float[k]);
        float[] img = new float[k * h * w];
        img[(2 * h + 1) * w + 3] = 1f;
        float[] want = {0, 0, 0, 0, 1f, -0.5f};
        Map<String, INDArray> feed = Map.of("image", Nd4j.create(img, new long[] {1, k, h, w}, 'c'));
        for (boolean training : new boolean[] {false, true}) {
            float[] got = SameDiffBuilder.build(net, p, training).output(new HashMap<>(feed), "features").get("features")
                    .dup('c').data().asFloat();
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5, (training ? "training" : "inference") + " value " + i);
        }
        // and ONNX Runtime, on a batch whose second sample is the first shifted: values must follow the hot position
        float[] two = new float[2 * img.length];
        System.arraycopy(img, 0, two, 0, img.length);
        two[img.length + (0 * h + 4) * w] = 1f;   // sample 2: channel 0 hot at row 4, column 0 → (−1, 1)
        OnnxEquivalenceTest.compare(net, p, Map.of("image", two), Map.of("image", new long[] {2, k, h, w}), new long[] {2, 2 * k});
        float[] got = SameDiffBuilder.build(net, p, false).output(new HashMap<>(Map.of("image",
                Nd4j.create(two, new long[] {2, k, h, w}, 'c'))), "features").get("features").dup('c').data().asFloat();
        assertEquals(-1f, got[6], 1e-5);
        assertEquals(1f, got[7], 1e-5);
    }

    @Test
    void gridRunsFromMinusOneToOneAcrossWidthAndHeight() {
        float[] g = SpatialSoftmax.coordinates(3, 2);   // rows 0..2, columns 0..1
        assertEquals(List.of(-1f, -1f, 1f, -1f, -1f, 0f, 1f, 0f, -1f, 1f, 1f, 1f), toList(g));
    }

    @Test
    void smallConvSpatialSoftmaxParameters() {
        Map<String, ParamSpec> p = ParamCollector.collect(new SmallConvEncoder(84, 84, 64, 32));
        // convs as with avg pooling, then keypoints Conv2d(128, 32, 1) and head Linear(64, 64)
        assertEquals(896 + 18_496 + 73_856 + 147_584 + (128 * 32 + 32) + (64 * 64 + 64), ParamCollector.count(p));
        assertEquals(List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.4.weight", "net.4.bias",
                "net.6.weight", "net.6.bias", "pool.keypoints.weight", "pool.keypoints.bias", "head.weight", "head.bias"),
                List.copyOf(p.keySet()));
    }

    /** SameDiff inference vs ONNX Runtime on perturbed weights, a non-square 4×3 last feature map. */
    @Test
    void smallConvSpatialSoftmaxOnnxMatchesSameDiff() throws Exception {
        SmallConvEncoder net = new SmallConvEncoder(64, 40, 16, 5);
        int batch = 3;
        float[] img = uniform(new Random(21), batch * 3 * 64 * 40);
        OnnxEquivalenceTest.compare(net, ParamInit.init(ParamCollector.collect(net), 22), Map.of("image", img),
                Map.of("image", new long[] {batch, 3, 64, 40}), new long[] {batch, 16});
    }

    /**
     * The training rendering (pixel-major: softmax down the columns of [H·W, B·K], transposed GEMM) against the
     * inference rendering, float64: the features and the gradient of Σ probe ⊙ features for every parameter.
     */
    @Test
    void trainingRenderingMatchesInferenceWithGradients() {
        SmallConvEncoder net = new SmallConvEncoder(64, 40, 16, 5);
        TensorStore params = OnnxEquivalenceTest.perturbed(ParamInit.init(ParamCollector.collect(net), 23), new Random(24));
        int batch = 3;
        INDArray img = Nd4j.create(uniform(new Random(25), batch * 3 * 64 * 40), new long[] {batch, 3, 64, 40}, 'c').castTo(DataType.DOUBLE);
        INDArray probe = Nd4j.create(OnnxEquivalenceTest.gaussian(new Random(26), batch * 16), new long[] {batch, 16}, 'c').castTo(DataType.DOUBLE);
        List<String> names = List.copyOf(params.names());
        Map<String, INDArray> out = new HashMap<>(), grads = new HashMap<>();
        for (boolean training : new boolean[] {false, true}) {
            SameDiff sd = SameDiff.create();
            net.define(new SameDiffBuilder(sd, n -> Nd4j.create(params.get(n).data(), params.get(n).shape(), 'c'), DataType.DOUBLE, training));
            sd.getVariable("features").mul(sd.constant(probe)).sum().rename("loss");
            sd.setLossVariables("loss");
            out.put(String.valueOf(training), sd.output(new HashMap<>(Map.of("image", img)), "features").get("features"));
            Map<String, INDArray> g = sd.calculateGradients(new HashMap<>(Map.of("image", img)), names);
            for (String n : names) grads.put(training + n, g.get(n));
        }
        UnetTorchFixtureTest.assertClose(out.get("false"), out.get("true"), 1e-9, "features");
        assertTrue(out.get("false").amaxNumber().doubleValue() > 1e-3, "degenerate output");
        for (String n : names) {
            assertTrue(grads.get("false" + n).amaxNumber().doubleValue() > 0, "zero gradient " + n);
            UnetTorchFixtureTest.assertClose(grads.get("false" + n), grads.get("true" + n), 1e-9, "grad " + n);
        }
    }

    @Test
    void defaultConfigAndOldMetaJsonMeanAvg() {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht_image-small.yaml"), List.of());
        assertEquals("avg", c.policy().imagePool());
        assertEquals(32, c.policy().spatialSoftmaxKeypoints());
        ImageObsSpec avg = ImageSpecs.dp(c);
        assertFalse(avg.spatialSoftmax());
        assertEquals(new ImageObsSpec(2, 84, 84, ImageObsSpec.SMALL_CONV, 64), avg);
        assertFalse(avg.toArch().containsKey("image_pool"), "avg writes meta.json as before the key");
        // a meta.json "image" entry written before the key: avg, and the encoder's parameters as before
        Map<String, Object> old = Map.of("low_dim", 2, "height", 84, "width", 84, "encoder", "small_conv", "feature_dim", 64);
        assertEquals(avg, ImageObsSpec.fromArch(old));
        assertEquals(ParamCollector.collect(new SmallConvEncoder(84, 84, 64)).keySet(),
                ParamCollector.collect(ImageObsSpec.fromArch(old).encoderNetwork()).keySet());

        ImageObsSpec ss = ImageSpecs.dp(ConfigLoader.load(Path.of("configs/pusht_image-small.yaml"),
                List.of("policy.image_pool=spatial_softmax", "policy.spatial_softmax_keypoints=16")));
        assertTrue(ss.spatialSoftmax());
        assertEquals(16, ss.spatialSoftmaxKeypoints());
        assertEquals("spatial_softmax", ss.toArch().get("image_pool"));
        assertEquals(ss, ImageObsSpec.fromArch(ss.toArch()), "meta.json round trip");
        assertTrue(ParamCollector.collect(ss.encoderNetwork()).containsKey("pool.keypoints.weight"));

        UserError e = assertThrows(UserError.class, () -> ImageSpecs.dp(ConfigLoader.load(Path.of("configs/pusht_image.yaml"),
                List.of("policy.image_pool=spatial_softmax"))));
        assertTrue(e.getMessage().contains("policy.image_pool"), e.getMessage());
        assertThrows(UserError.class, () -> ConfigLoader.load(Path.of("configs/pusht_image-small.yaml"), List.of("policy.image_pool=max")));
    }

    private static List<Float> toList(float[] v) {
        List<Float> l = new java.util.ArrayList<>();
        for (float f : v) l.add(f);
        return l;
    }

    private static float[] uniform(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat();
        return v;
    }
}
