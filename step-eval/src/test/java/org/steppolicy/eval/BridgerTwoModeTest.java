package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.infer.BridgerSampler;
import org.steppolicy.infer.GaussianNoise;
import org.steppolicy.infer.runtime.NetBridgeNetwork;
import org.steppolicy.models.BridgerArch;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;
import org.steppolicy.train.BridgerTask;
import org.steppolicy.train.BridgerTrainSettings;
import org.steppolicy.train.Trainer;
import org.steppolicy.train.WindowSource;

/**
 * A tiny BRIDGeR trained on a two-mode dataset (every chunk all +0.6 or all −0.6, the observation uninformative)
 * must sample both modes and little in between: a Gaussian source bridged by a learnt field, not a regression to the
 * mean (which would put everything near 0).
 */
class BridgerTwoModeTest {
    private static final float MODE = 0.6f;
    private static final int H = 4;

    /** 256 windows, Do = Da = 1, obs all zero; even windows in the + mode, odd ones in the − mode. */
    private static final class TwoModes implements WindowSource {
        @Override public int size() { return 256; }
        @Override public int horizon() { return H; }
        @Override public int obsDim() { return 1; }
        @Override public int actionDim() { return 1; }

        @Override
        public void window(int i, float[] obs, int oo, float[] action, int ao, float[] prev, int po) {
            for (int t = 0; t < H; t++) {
                obs[oo + t] = 0;
                action[ao + t] = i % 2 == 0 ? MODE : -MODE;
                if (prev != null) prev[po + t] = action[ao + t];
            }
        }
    }

    /**
     * Opt-in (-Dstep.bridgerToy=true): on the loaded 2-core development machine its 400 SameDiff steps over two U-Nets
     * ran for more than 9 minutes, far over the suite's budget; it has not yet been seen to pass.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "step.bridgerToy", matches = "true")
    void recoversBothModes(@TempDir Path dir) {
        var c = ConfigLoader.defaults(List.of("task.obs_dim=1", "task.action_dim=1", "task.horizon=4", "task.n_obs_steps=1",
                "task.n_action_steps=2", "policy.down_dims=[16, 32]", "policy.diffusion_step_embed_dim=16",
                "bridger.noise_scale=0.1", "bridger_training.batch_size=64", "bridger_training.lr=3e-3",
                "bridger_training.warmup_steps=20", "bridger_training.val_every=1000", "bridger_training.checkpoint_every=1000"));
        int steps = 400;
        BridgerTrainSettings s = new BridgerTrainSettings(c, steps);
        BridgerTask task = new BridgerTask(s, new TwoModes(), null, "{}");
        Trainer.Summary sum = new Trainer(task, s.trainerSettings(), dir, null).run(null);
        assertEquals(steps, sum.lastStep());
        assertTrue(sum.meanLoss(20, true) < 0.5 * sum.meanLoss(20, false), "the loss falls");

        Checkpoint ck = Checkpoint.load(sum.lastCheckpoint());
        BridgerArch arch = ck.bridgerArch();
        TensorStore params = ck.evalParams();
        int n = 400;
        float[] x = new float[n * H];
        GaussianNoise noise = new GaussianNoise(9);
        noise.fill(x, 0, x.length);   // the gaussian source
        try (NetBridgeNetwork net = NetBridgeNetwork.onnx(arch.net(), params, 1)) {
            new BridgerSampler(arch.interpolant(), new BridgerSampler.Settings(BridgerSampler.Mode.SDE, BridgerSampler.TimeGrid.MID))
                    .run(net, 10, x, new float[n], n, noise);
        }
        int plus = 0, minus = 0, between = 0;
        for (int i = 0; i < n; i++) {
            double m = 0;
            for (int t = 0; t < H; t++) m += x[i * H + t] / H;
            if (Math.abs(m - MODE) < 0.25) plus++;
            else if (Math.abs(m + MODE) < 0.25) minus++;
            else if (Math.abs(m) < 0.3) between++;
        }
        assertTrue(plus > 0.3 * n && minus > 0.3 * n, "both modes: +" + plus + " / -" + minus + " of " + n);
        assertTrue(between < 0.1 * n, "few chunks between the modes: " + between + " of " + n);
    }
}
