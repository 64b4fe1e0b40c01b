package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.models.ImageSpecs;

/** {@code step bench train} on a visuomotor config times the image DP (encoder + U-Net), tiny sizes, no data needed. */
class TrainBenchImageTest {
    private static StepConfig config(String file, String... extra) {
        List<String> o = new java.util.ArrayList<>(List.of("policy.down_dims=[8,16]", "policy.diffusion_step_embed_dim=16",
                "training.batch_size=2"));
        o.addAll(List.of(extra));
        return ConfigLoader.load(Path.of(file), o);
    }

    @Test
    void imageConfigBenchesTheImageDp() {
        StepConfig c = config("configs/pusht_image-small.yaml", "task.crop_shape=[32,32]", "policy.obs_feature_dim=8");
        TrainBench.Result r = TrainBench.imageDp(c, 1, 1, null);
        DpTrainSettings s = TrainSettings.dp(c, 2, 1000L);
        long expected = DpTask.imagePolicy(s, ImageSpecs.dp(c), c.task().actionDim()).parameterCount();
        assertEquals(expected, r.parameters());
        assertTrue(r.model().startsWith("image small_conv 32x32 f8 To2"), r.model());
        assertEquals(r.parameters(), TrainBench.dp(c, 0, 1, null).parameters(), "the config decides: dp = image on an image config");
        assertTrue(r.report().startsWith("train step image"), r.report());
    }

    @Test
    void imageModelNeedsAnImageConfig() {
        assertThrows(UserError.class, () -> TrainBench.imageDp(config("configs/pusht-small.yaml"), 0, 1, null));
    }
}
