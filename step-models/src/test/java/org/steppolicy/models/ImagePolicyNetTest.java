package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Image DP (encoder + U-Net) and image predictor: parameters, SameDiff = ONNX, and the split used at inference. */
class ImagePolicyNetTest {
    static final int TO = 2, H = 8, DA = 2;

    static ImageObsSpec spec() {
        return new ImageObsSpec(2, 12, 10, ImageObsSpec.SMALL_CONV, 6);
    }

    static ImageDiffusionPolicy dp(ImageObsSpec s) {
        ImageObsEncoder enc = new ImageObsEncoder(s, TO);
        UnetConfig cfg = UnetConfig.of(DA, enc.outputDim(), List.of(8, 16), 16);
        return new ImageDiffusionPolicy(enc, new ConditionalUnet1d(cfg, H));
    }

    @Test
    void parametersAreTheEncodersUnderObsEncoderPlusTheUnets() {
        ImageDiffusionPolicy net = dp(spec());
        Map<String, ParamSpec> all = net.parameters();
        Map<String, ParamSpec> enc = net.encoder().parameters();
        Map<String, ParamSpec> unet = net.unet().parameters();
        assertEquals(enc.size() + unet.size(), all.size());
        assertTrue(enc.keySet().stream().allMatch(k -> k.startsWith("obs_encoder.")), enc.keySet().toString());
        assertTrue(all.keySet().containsAll(unet.keySet()) && all.keySet().containsAll(enc.keySet()));
        assertEquals(TO * (6 + 2), net.unet().config().globalCondDim());
        // ResNet variant: 512 features per step, torchvision's parameter count under the prefix
        ImageObsEncoder resnet = new ImageObsEncoder(new ImageObsSpec(2, 84, 84, ImageObsSpec.RESNET18_GN, 0), TO);
        assertEquals(11_176_512L, resnet.parameterCount());
        assertEquals(TO * 514, resnet.outputDim());
    }

    @Test
    void imageDpOnnxMatchesSameDiff() throws Exception {
        ImageDiffusionPolicy net = dp(spec());
        int batch = 3;
        Random r = new Random(3);
        Map<String, float[]> in = Map.of("sample", gauss(r, batch * H * DA), "timestep", new float[] {3, 50, 99},
                "global_cond", obs(r, batch, spec()));
        OnnxEquivalenceTest.compare(net, net.initParams(4), in, Map.of("sample", new long[] {batch, H, DA},
                "timestep", new long[] {batch}, "global_cond", new long[] {batch, TO * spec().stepDim()}), new long[] {batch, H, DA});
    }

    /** policy.image_pool: spatial_softmax, K 4 (the 12×10 crop leaves a 1×1 map: use 32×24 for a 2×2 one). */
    static ImageObsSpec spatialSoftmaxSpec() {
        return new ImageObsSpec(2, 32, 24, ImageObsSpec.SMALL_CONV, 6, SpatialSoftmax.SPATIAL_SOFTMAX, 4);
    }

    @Test
    void spatialSoftmaxImageDpOnnxMatchesSameDiff() throws Exception {
        ImageObsSpec s = spatialSoftmaxSpec();
        ImageDiffusionPolicy net = dp(s);
        assertTrue(net.parameters().containsKey("obs_encoder.pool.keypoints.weight"));
        assertEquals(8, net.parameters().get("obs_encoder.head.weight").shape()[0], "head takes 2K coordinates");
        int batch = 2;
        Random r = new Random(13);
        Map<String, float[]> in = Map.of("sample", gauss(r, batch * H * DA), "timestep", new float[] {3, 77},
                "global_cond", obs(r, batch, s));
        OnnxEquivalenceTest.compare(net, net.initParams(14), in, Map.of("sample", new long[] {batch, H, DA},
                "timestep", new long[] {batch}, "global_cond", new long[] {batch, TO * s.stepDim()}), new long[] {batch, H, DA});
    }

    @Test
    void spatialSoftmaxEncoderThenUnetEqualsTheJointNetwork() {
        encoderThenUnetEqualsTheJointNetwork(spatialSoftmaxSpec());
    }

    /** Encoder alone, then the U-Net alone on its output, gives what the joint training network gives. */
    @Test
    void encoderThenUnetEqualsTheJointNetwork() {
        encoderThenUnetEqualsTheJointNetwork(spec());
    }

    private void encoderThenUnetEqualsTheJointNetwork(ImageObsSpec spec) {
        ImageDiffusionPolicy net = dp(spec);
        TensorStore p = net.initParams(5);
        int batch = 2;
        Random r = new Random(6);
        float[] x = gauss(r, batch * H * DA), o = obs(r, batch, spec), t = {7, 42};
        INDArray joint = run(net, p, Map.of("sample", arr(x, batch, H, DA), "timestep", arr(t, batch), "global_cond",
                arr(o, batch, TO * spec.stepDim())));
        INDArray feats = run(net.encoder(), p, Map.of(ImageObsEncoder.INPUT, arr(o, batch, TO * spec.stepDim())));
        assertEquals(batch * net.encoder().outputDim(), feats.length());
        INDArray split = run(net.unet(), p, Map.of("sample", arr(x, batch, H, DA), "timestep", arr(t, batch),
                "global_cond", feats));
        // the training rendering (time-major sequence ops in SameDiff) computes the same values
        SameDiff train = SameDiffBuilder.build(net, p, true);
        INDArray trained = train.output(new HashMap<>(Map.of("sample", arr(x, batch, H, DA), "timestep", arr(t, batch),
                "global_cond", arr(o, batch, TO * spec.stepDim()))), net.outputName()).get(net.outputName());
        assertTrue(joint.sub(trained).amaxNumber().doubleValue() < 1e-5, "training vs inference rendering");
        double maxErr = joint.sub(split).amaxNumber().doubleValue();
        assertTrue(maxErr < 1e-5, "joint vs split max error " + maxErr);
        assertTrue(joint.amaxNumber().doubleValue() > 1e-3, "degenerate output");
        // the low-dim values pass through unchanged, after the image features of each step
        float[] f = feats.dup('c').data().asFloat();
        int per = spec.encodedStepDim(), step = spec.stepDim();
        assertEquals(o[step], f[per + 6], 0f, "step 1's first low-dim value follows its 6 image features");
    }

    @Test
    void imagePredictorOnnxMatchesSameDiff() throws Exception {
        ImageObsSpec s = spec();
        PredictorNetConfig cfg = new PredictorNetConfig(s.stepDim(), DA, TO, H, 16, 2, 32, 0.0, 1, 1,
                PredictorNetConfig.Kind.STEP).withImage(s);
        StepPredictorNet net = new StepPredictorNet(cfg);
        assertTrue(net.parameters().containsKey("obs_encoder.net.0.weight"));
        assertEquals(List.of((long) s.encodedStepDim(), 16L), List.of(net.parameters().get("obs_emb.weight").shape()[0],
                net.parameters().get("obs_emb.weight").shape()[1]));
        int batch = 2;
        Random r = new Random(8);
        Map<String, float[]> in = Map.of("obs", obs(r, batch, s), "prev_action", gauss(r, batch * H * DA));
        OnnxEquivalenceTest.compare(net, net.initParams(9), in, Map.of("obs", new long[] {batch, TO, s.stepDim()},
                "prev_action", new long[] {batch, H, DA}), new long[] {batch, H, DA});
    }

    private static INDArray run(NetworkDefinition net, TensorStore p, Map<String, INDArray> feed) {
        SameDiff sd = SameDiffBuilder.build(net, p, false);
        return sd.output(new HashMap<>(feed), net.outputName()).get(net.outputName());
    }

    private static INDArray arr(float[] v, long... shape) {
        return Nd4j.create(v, shape, 'c');
    }

    /** Flat observation windows: per step 2 low-dim values in [-1, 1], then pixels in [0, 1]. */
    static float[] obs(Random r, int batch, ImageObsSpec s) {
        float[] o = new float[batch * TO * s.stepDim()];
        for (int i = 0; i < o.length; i++) {
            int inStep = i % s.stepDim();
            o[i] = inStep < s.lowDim() ? (float) (2 * r.nextDouble() - 1) : (float) r.nextDouble();
        }
        return o;
    }

    static float[] gauss(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
