package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.models.Checkpoint;

/** The CLI's path on the official Push-T data, with tiny networks and batches: U-Net DP, then both predictors. */
class TrainRunsTest {
    private static final Path DATA = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5");

    private static StepConfig config(String... extra) {
        List<String> o = new java.util.ArrayList<>(List.of("policy.down_dims=[8,16]", "policy.diffusion_step_embed_dim=16",
                "training.batch_size=8", "training.val_every=2", "training.checkpoint_every=2",
                "predictor.d_model=16", "predictor.n_heads=2", "predictor.dim_feedforward=32", "predictor.encoder_layers=1",
                "predictor.blocks=1", "predictor_training.batch_size=8", "predictor_training.val_every=2",
                "predictor_training.checkpoint_every=2", "task.max_train_episodes=3"));
        o.addAll(List.of(extra));
        return ConfigLoader.load(Path.of("configs/pusht-small.yaml"), o);
    }

    @Test
    void dpThenPredictorsOnPushT(@TempDir Path dir) {
        assumeTrue(Files.exists(DATA), "Push-T data absent: " + DATA);
        Trainer.Summary dp = TrainRuns.trainDp(config(), dir.resolve("dp"), 2L, null, null);
        Checkpoint ck = Checkpoint.load(dir.resolve("dp"));
        assertEquals(2, ck.step());
        assertEquals(40, ck.unetConfig().globalCondDim());
        assertTrue(Double.isFinite(ck.valLoss()), "validation on the valid demos");
        assertTrue(ck.normalizerJson().contains("obs"));
        assertEquals(dp.lastCheckpoint(), ck.dir());

        for (String kind : List.of("step", "spatial")) {
            TrainRuns.trainPredictor(config("predictor.kind=" + kind), dir.resolve(kind), 2L, null, dir.resolve("dp"), null);
            Checkpoint p = Checkpoint.load(dir.resolve(kind));
            assertEquals(kind, p.predictorConfig().kind().id());
            assertEquals(ck.normalizerJson(), p.normalizerJson(), "the DP's normaliser");
        }
        UserError e = assertThrows(UserError.class, () -> TrainRuns.trainPredictor(config("task.action_normalizer=identity"),
                dir.resolve("bad"), 2L, null, dir.resolve("dp"), null));
        assertTrue(e.getMessage().contains("normaliser"), e.getMessage());
    }
}
