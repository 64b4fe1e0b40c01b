package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The visuomotor chain from the CLI at toy size on the official image data: train-dp and train-predictor on 84×84
 * crops, then a closed-loop eval with rendered observations, export-onnx (with obs_encoder.onnx) and bench.
 */
class ImagePipelineTest {
    static final Path IMAGES = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_image.hdf5");
    /** Toy sizes over configs/pusht_image-small.yaml (the image quickstart's test uses them too). */
    static final List<String> TINY_SIZES = List.of("task.max_train_episodes=3",
            "policy.down_dims=[8,16]", "policy.diffusion_step_embed_dim=16", "policy.obs_feature_dim=8",
            "training.batch_size=4", "training.val_every=1000", "training.checkpoint_every=2",
            "predictor.d_model=16", "predictor.dim_feedforward=32", "predictor.image_feature_dim=8",
            "predictor_training.batch_size=4", "predictor_training.val_every=1000", "predictor_training.checkpoint_every=2",
            "task.eval_max_steps=16");
    static final String[] TINY = Stream.concat(Stream.of("--config", "configs/pusht_image-small.yaml"), TINY_SIZES.stream())
            .toArray(String[]::new);

    @TempDir
    Path tmp;

    private static String[] args(String[] head, String... tail) {
        return StepCliTest.args(head, TINY, tail);
    }

    @Test
    void trainEvalExportAndBenchAnImagePolicy() throws Exception {
        Assumptions.assumeTrue(Files.exists(IMAGES), "skipped: " + IMAGES + " not present");
        Path dp = tmp.resolve("dp"), pred = tmp.resolve("pred");
        StepCliTest.Result r = StepCliTest.run(args(new String[] {"train-dp", "--out", dp.toString(), "--max-steps", "2"}));
        assertEquals(0, r.code(), r.err());
        JsonNode meta = new ObjectMapper().readTree(dp.resolve("checkpoints/step-0000002/meta.json").toFile());
        assertEquals(2 + 3 * 84 * 84, meta.get("arch").get("obs_dim").asInt());
        assertEquals(2 * (8 + 2), meta.get("arch").get("global_cond_dim").asInt());
        assertEquals("small_conv", meta.get("arch").get("image").get("encoder").asText());

        r = StepCliTest.run(args(new String[] {"train-predictor", "--out", pred.toString(), "--max-steps", "2", "--dp", dp.toString()}));
        assertEquals(0, r.code(), r.err());

        Path eval = tmp.resolve("eval");
        r = StepCliTest.run(args(new String[] {"eval", "--dp", dp.toString(), "--predictor", pred.toString(), "--methods",
                "ddim:2,step:2", "--episodes", "1", "--threads", "1", "--out", eval.toString()}));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("step:2"), r.out());
        assertTrue(Files.exists(eval.resolve("results.json")));

        // offline: the recorded frames of the valid demos, centre-cropped, against the recorded actions
        Path offline = tmp.resolve("offline");
        r = StepCliTest.run(args(new String[] {"eval", "--dp", dp.toString(), "--predictor", pred.toString(), "--methods",
                "ddim:2,step:2", "--out", offline.toString()}, "task.env=none"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("action MSE"), r.out());

        Path onnx = tmp.resolve("onnx");
        r = StepCliTest.run(args(new String[] {"export-onnx", "--dp", dp.toString(), "--predictor", pred.toString(), "--out", onnx.toString()}));
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"dp.onnx", "obs_encoder.onnx", "predictor.onnx", "policy.json"})
            assertTrue(Files.size(onnx.resolve(f)) > 0, f);

        r = StepCliTest.run(args(new String[] {"bench", "--dp", dp.toString(), "--predictor", pred.toString(), "--calls", "3",
                "--slow-calls", "1", "--warmup", "1", "--methods", "ddim:2,step:2"}));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("step"), r.out());
    }

    /** policy.image_pool: spatial_softmax travels from the config to meta.json, and the checkpoint resumes, evaluates and exports. */
    @Test
    void spatialSoftmaxPolicyTrainsResumesEvaluatesAndExports() throws Exception {
        Assumptions.assumeTrue(Files.exists(IMAGES), "skipped: " + IMAGES + " not present");
        Path dp = tmp.resolve("dp");
        String[] pool = {"policy.image_pool=spatial_softmax", "policy.spatial_softmax_keypoints=4"};
        StepCliTest.Result r = StepCliTest.run(StepCliTest.args(new String[] {"train-dp", "--out", dp.toString(), "--max-steps", "2"}, TINY, pool));
        assertEquals(0, r.code(), r.err());
        JsonNode image = new ObjectMapper().readTree(dp.resolve("checkpoints/step-0000002/meta.json").toFile()).get("arch").get("image");
        assertEquals("spatial_softmax", image.get("image_pool").asText());
        assertEquals(4, image.get("spatial_softmax_keypoints").asInt());

        // resume without --config (the run's own config.yaml carries the pool); then evaluate and export with a config
        // that does not name the pool: the checkpoint's arch does
        r = StepCliTest.run("train-dp", "--out", tmp.resolve("dp2").toString(), "--max-steps", "4", "--resume",
                dp.resolve("checkpoints/step-0000002").toString());
        assertEquals(0, r.code(), r.err());
        Path dp2 = tmp.resolve("dp2");
        assertEquals("spatial_softmax", new ObjectMapper().readTree(dp2.resolve("checkpoints/step-0000004/meta.json").toFile())
                .get("arch").get("image").get("image_pool").asText());
        r = StepCliTest.run(args(new String[] {"eval", "--dp", dp2.toString(), "--methods", "ddim:2", "--episodes", "1",
                "--threads", "1", "--out", tmp.resolve("eval").toString()}));
        assertEquals(0, r.code(), r.err());
        Path onnx = tmp.resolve("onnx");
        r = StepCliTest.run(args(new String[] {"export-onnx", "--dp", dp2.toString(), "--out", onnx.toString()}));
        assertEquals(0, r.code(), r.err());
        assertEquals("spatial_softmax", new ObjectMapper().readTree(onnx.resolve("policy.json").toFile()).get("image").get("image_pool").asText());
    }
}
