package org.steppolicy.infer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.ImageDiffusionPolicy;
import org.steppolicy.models.ImageObsEncoder;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.models.UnetConfig;

/** An image policy through the runtimes: encoder once per control call, ONNX = SameDiff, planner and export. */
class ImagePolicyRuntimeTest {
    static final ImageObsSpec SPEC = new ImageObsSpec(2, 12, 10, ImageObsSpec.SMALL_CONV, 6);
    static final PolicyShape SHAPE = new PolicyShape(2, 8, 16, SPEC.stepDim(), 2);

    @TempDir
    Path dir;

    static PolicyBundle bundle() {
        ImageObsEncoder enc = new ImageObsEncoder(SPEC, 2);
        ConditionalUnet1d unet = new ConditionalUnet1d(UnetConfig.of(2, enc.outputDim(), List.of(8, 16), 16), 16);
        DatasetNormalizer low = new DatasetNormalizer(LinearNormalizer.affine(new float[] {0.01f, 0.02f}, new float[] {-1f, -1f}),
                LinearNormalizer.identity(2));
        DatasetNormalizer norm = PolicyLoader.withPixels(low, SPEC);
        PredictorNetConfig pc = new PredictorNetConfig(SPEC.stepDim(), 2, 2, 16, 16, 2, 32, 0.1, 1, 1,
                PredictorNetConfig.Kind.STEP).withImage(SPEC);
        return new PolicyBundle(SHAPE, unet, new ImageDiffusionPolicy(enc, unet).initParams(3), norm, SchedulerConfig.diffusionPolicy(),
                PredictorLoader.bundle(pc, new StepPredictorNet(pc).initParams(4), norm), enc);
    }

    @Test
    void runtimesAgreeAndTheEncoderRunsOncePerWindow() {
        PolicyBundle b = bundle();
        SplittableRandom r = new SplittableRandom(5);
        int n = 16 * 2, c = 2 * SPEC.stepDim();
        float[] x = new float[n], cond = new float[c], o1 = new float[n], o2 = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < c; i++) cond[i] = (float) r.nextDouble();
        try (Denoiser onnx = PolicyLoader.denoiser(b, RuntimeKind.ONNX, 1);
             Denoiser sd = PolicyLoader.denoiser(b, RuntimeKind.SAMEDIFF, 1)) {
            assertEquals(c, onnx.condDim());
            onnx.predict(x, new int[] {40}, cond, 1, o1);
            sd.predict(x, new int[] {40}, cond, 1, o2);
            double maxErr = 0, maxAbs = 0;
            for (int i = 0; i < n; i++) {
                maxErr = Math.max(maxErr, Math.abs(o1[i] - o2[i]));
                maxAbs = Math.max(maxAbs, Math.abs(o2[i]));
            }
            assertTrue(maxAbs > 1e-3 && maxErr < 1e-4 * Math.max(1, maxAbs), "ONNX vs SameDiff " + maxErr + " at scale " + maxAbs);
            EncodedDenoiser e = (EncodedDenoiser) onnx;
            onnx.predict(x, new int[] {20}, cond, 1, o1);
            assertEquals(1, e.encodings(), "same window: no second encoding");
            cond[c - 1] += 0.5f;
            onnx.predict(x, new int[] {20}, cond, 1, o1);
            assertEquals(2, e.encodings(), "a changed pixel is a new window");
        }
    }

    @Test
    void stepRunnerActsOnImageObservationsAndExportWritesTheEncoder() throws Exception {
        PolicyBundle b = bundle();
        PolicyModels m = PolicyLoader.models(b, RuntimeKind.ONNX, 1);
        try (StepPolicy policy = StepPolicy.open(method -> m, MethodSpec.parse("step:2").config(InferenceSettings.defaults()))) {
            policy.reset(1);
            assertEquals(8, policy.info().actionSteps());
            double[] obs = new double[SPEC.stepDim()];
            obs[0] = 250;
            obs[1] = 300;
            for (int i = 2; i < obs.length; i++) obs[i] = (i % 7) / 7.0;
            for (int step = 0; step < 3 * 8; step++) { // three model calls of Ta = 8 actions
                double[] a = policy.act(obs);
                assertTrue(Double.isFinite(a[0]) && Double.isFinite(a[1]), "step " + step);
            }
        }

        OnnxExport.write(b, dir);
        assertTrue(Files.size(dir.resolve(OnnxExport.ENCODER_FILE)) > 1000);
        JsonNode side = new ObjectMapper().readTree(dir.resolve(OnnxExport.SIDECAR).toFile());
        assertEquals(2, side.get("normalizer").get("obs").get("scale").size(), "only the low-dim part is listed");
        assertEquals(12, side.get("image").get("height").asInt());
        assertEquals(2 * SPEC.encodedStepDim(), side.get("image").get("obs_encoder").get("output").get("shape").get(1).asInt());
    }
}
