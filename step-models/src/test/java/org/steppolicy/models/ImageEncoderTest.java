package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Image encoders: parameter counts and names against the reference, SameDiff vs ONNX Runtime at small inputs. */
class ImageEncoderTest {

    @Test
    void resnet18GroupNormHasTorchvisionsParameters() {
        Map<String, ParamSpec> p = ParamCollector.collect(new ResNet18GroupNorm(84, 84));
        // torchvision resnet18: 11,689,512 parameters, of which fc (512·1000 + 1000) is replaced by Identity
        assertEquals(11_689_512L - 513_000L, ParamCollector.count(p));
        assertArrayEquals(new long[] {7, 7, 3, 64}, p.get("conv1.weight").shape());
        assertArrayEquals(new long[] {64}, p.get("bn1.weight").shape());
        assertArrayEquals(new long[] {1, 1, 128, 256}, p.get("layer3.0.downsample.0.weight").shape());
        assertArrayEquals(new long[] {256}, p.get("layer3.0.downsample.1.bias").shape());
        assertTrue(p.containsKey("layer4.1.bn2.weight"));
        assertTrue(!p.containsKey("layer1.0.downsample.0.weight"), "layer1 keeps 64 channels at stride 1: no downsample");
        assertTrue(!p.containsKey("conv1.bias"), "ResNet convolutions have no bias");
        assertEquals(60, p.size(), "20 conv weights (stem, 16 in blocks, 3 downsample) + 20 norms × (weight, bias)");
    }

    @Test
    void smallConvEncoderParameters() {
        Map<String, ParamSpec> p = ParamCollector.collect(new SmallConvEncoder(84, 84, 128));
        // 3·32·9+32 + 32·64·9+64 + 64·128·9+128 + 128·128·9+128 + 128·128+128
        assertEquals(896 + 18_496 + 73_856 + 147_584 + 16_512, ParamCollector.count(p));
        assertEquals(List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.4.weight", "net.4.bias",
                "net.6.weight", "net.6.bias", "head.weight", "head.bias"), List.copyOf(p.keySet()));
    }

    @Test
    void resnet18OnnxMatchesSameDiff() throws Exception {
        ResNet18GroupNorm net = new ResNet18GroupNorm(32, 32);
        int batch = 2;
        float[] img = uniform(new Random(5), batch * 3 * 32 * 32);
        OnnxEquivalenceTest.compare(net, ParamInit.init(ParamCollector.collect(net), 11), Map.of("image", img),
                Map.of("image", new long[] {batch, 3, 32, 32}), new long[] {batch, 512});
    }

    @Test
    void smallConvEncoderOnnxMatchesSameDiff() throws Exception {
        SmallConvEncoder net = new SmallConvEncoder(20, 18, 16);
        int batch = 3;
        float[] img = uniform(new Random(6), batch * 3 * 20 * 18);
        OnnxEquivalenceTest.compare(net, ParamInit.init(ParamCollector.collect(net), 12), Map.of("image", img),
                Map.of("image", new long[] {batch, 3, 20, 18}), new long[] {batch, 16});
    }

    /** Max pooling on signed values (no ReLU before it): padding must never win, as in PyTorch and ONNX. */
    @Test
    void maxPoolPaddingOnSignedValues() throws Exception {
        NetworkDefinition net = new NetworkDefinition() {
            @Override
            public <T> void define(NetBuilder<T> b) {
                T x = b.input("image", -1, 2, 9, 7);
                T w = b.param("conv.weight", Layers.uniform(18, 3, 3, 2, 4));
                T y = b.maxPool2d(b.conv2d(x, w, null, 1, 1), 3, 2, 1);
                b.output("features", b.reshape(y, -1, 4 * 5 * 4));
            }

            @Override public List<String> inputNames() { return List.of("image"); }
            @Override public String outputName() { return "features"; }
        };
        float[] img = new float[2 * 2 * 9 * 7];
        Random r = new Random(7);
        for (int i = 0; i < img.length; i++) img[i] = (float) (r.nextGaussian() - 2); // mostly negative
        OnnxEquivalenceTest.compare(net, ParamInit.init(ParamCollector.collect(net), 13), Map.of("image", img),
                Map.of("image", new long[] {2, 2, 9, 7}), new long[] {2, 80});
        // the training rendering pools pixel-major ([1, H, W, B·C] NHWC): the same values
        TensorStore p = ParamInit.init(ParamCollector.collect(net), 13);
        Map<String, INDArray> feed = Map.of("image", Nd4j.create(img, new long[] {2, 2, 9, 7}, 'c'));
        INDArray infer = SameDiffBuilder.build(net, p, false).output(new java.util.HashMap<>(feed), "features").get("features");
        INDArray train = SameDiffBuilder.build(net, p, true).output(new java.util.HashMap<>(feed), "features").get("features");
        assertTrue(infer.equalsWithEps(train, 1e-5), "training vs inference rendering: " + infer.sub(train).amaxNumber());
    }

    private static float[] uniform(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat();
        return v;
    }
}
