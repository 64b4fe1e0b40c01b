package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.infer.BridgerSampler;
import org.steppolicy.infer.GaussianNoise;
import org.steppolicy.infer.runtime.NetBridgeNetwork;
import org.steppolicy.models.BridgerNet;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.NetBuilder;
import org.steppolicy.models.ParamSpec;
import org.steppolicy.models.StochasticInterpolant;
import org.steppolicy.models.TensorStore;
import org.steppolicy.train.BridgerTask;
import org.steppolicy.train.BridgerTrainSettings;
import org.steppolicy.train.Trainer;
import org.steppolicy.train.WindowSource;

/**
 * A tiny BRIDGeR trained on a two-mode dataset (every chunk all +0.6 or all −0.6, the observation uninformative) must
 * sample both modes, each in a large share, with each chunk coherent and few in between: a Gaussian source bridged
 * by a learnt field, not a regression to the mean (which would put everything near 0).
 * <p>
 * Everything is BRIDGeR's own path (BridgerTask on the shared Trainer, the checkpoint's EMA weights, the ONNX
 * rendering of {@link BridgerNet}, {@link BridgerSampler}) except the body of the two networks: a small MLP instead
 * of the U-Net. SameDiff costs roughly 0.1–0.4 ms of CPU per op on this machine, whatever the tensor sizes, and even
 * a one-level U-Net pair is about 2,300 ops per training step (forward and backward), which took 1.6 s a step under
 * load; the MLP pair is a few dozen. The U-Net rendering of BridgerNet is exercised by the train-bridger CLI test.
 */
class BridgerTwoModeTest {
    private static final float MODE = 0.6f;
    private static final int H = 4, STEPS = 150;

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

    /** Each of BRIDGeR's two networks as a 2-hidden-layer Mish MLP over the flat chunk, sin/cos features of t and the condition. */
    private record Mlp(int hidden) implements BridgerNet.Body {
        private static final float[] FREQUENCIES = {1, 3, 9};

        @Override public int horizon() { return H; }
        @Override public int actionDim() { return 1; }
        @Override public int condDim() { return 1; }

        @Override
        public <T> T apply(NetBuilder<T> b, T sample, T timestep, T globalCond) {
            T angle = b.mul(b.reshape(timestep, -1, 1), b.constant(FREQUENCIES, 1, FREQUENCIES.length));
            T in = b.concat(1, List.of(b.reshape(sample, -1, H), b.sin(angle), b.cos(angle), globalCond));
            int width = H + 2 * FREQUENCIES.length + 1;
            T h = b.mish(layer(b, "l1", in, width, hidden));
            h = b.mish(layer(b, "l2", h, hidden, hidden));
            return b.reshape(layer(b, "l3", h, hidden, H), -1, H, 1);
        }

        private static <T> T layer(NetBuilder<T> b, String name, T x, int in, int out) {
            ParamSpec.Uniform init = new ParamSpec.Uniform(1 / Math.sqrt(in));   // PyTorch's Linear default
            return b.linear(x, b.param(name + ".weight", new ParamSpec(new long[] {in, out}, init)),
                    b.param(name + ".bias", new ParamSpec(new long[] {out}, init)));
        }
    }

    /** Shares of sampled chunks: all H values within 0.25 of +MODE, of −MODE, and chunk means within 0.3 of 0. */
    private record Shares(double plus, double minus, double between) {
        static Shares of(float[] x, int n) {
            int plus = 0, minus = 0, between = 0;
            for (int i = 0; i < n; i++) {
                boolean p = true, m = true;
                double mean = 0;
                for (int t = 0; t < H; t++) {
                    float v = x[i * H + t];
                    p &= Math.abs(v - MODE) < 0.25;
                    m &= Math.abs(v + MODE) < 0.25;
                    mean += v / H;
                }
                if (p) plus++;
                else if (m) minus++;
                else if (Math.abs(mean) < 0.3) between++;
            }
            return new Shares((double) plus / n, (double) minus / n, (double) between / n);
        }

        /** Each mode well populated (the data are half and half) and under a fifth of the chunks between them. */
        boolean bothModes() {
            return plus > 0.3 && minus > 0.3 && between < 0.2;
        }
    }

    private static Shares sample(BridgerNet net, TensorStore params, StochasticInterpolant interpolant) {
        int n = 400;
        float[] x = new float[n * H];
        GaussianNoise noise = new GaussianNoise(9);
        noise.fill(x, 0, x.length);   // the gaussian source
        try (NetBridgeNetwork runtime = NetBridgeNetwork.onnx(net, params, 1)) {
            new BridgerSampler(interpolant, new BridgerSampler.Settings(BridgerSampler.Mode.SDE, BridgerSampler.TimeGrid.MID))
                    .run(runtime, 10, x, new float[n], n, noise);
        }
        return Shares.of(x, n);
    }

    @Test
    void recoversBothModes(@TempDir Path dir) {
        var c = ConfigLoader.defaults(List.of("task.obs_dim=1", "task.action_dim=1", "task.horizon=" + H, "task.n_obs_steps=1",
                "task.n_action_steps=2", "bridger.noise_scale=0.1", "bridger_training.batch_size=256", "bridger_training.lr=2e-2",
                "bridger_training.warmup_steps=20", "bridger_training.val_every=1000", "bridger_training.checkpoint_every=1000"));
        BridgerTrainSettings s = new BridgerTrainSettings(c, STEPS);
        BridgerNet net = new BridgerNet(new Mlp(64));
        StochasticInterpolant interpolant = s.interpolant();

        // The same check on the untrained networks must fail: it tells a learnt bridge from the source passing through.
        Shares untrained = sample(net, net.initParams(s.seed()), interpolant);
        assertTrue(!untrained.bothModes(), "untrained networks already pass: " + untrained);

        BridgerTask task = new BridgerTask(s, new TwoModes(), null, "{}", net);
        Trainer.Summary sum = new Trainer(task, s.trainerSettings(), dir, null).run(null);
        assertEquals(STEPS, sum.lastStep());
        assertTrue(sum.meanLoss(20, true) < 0.7 * sum.meanLoss(20, false),
                "the loss falls: " + sum.meanLoss(20, false) + " -> " + sum.meanLoss(20, true));

        Checkpoint ck = Checkpoint.load(sum.lastCheckpoint());
        assertEquals(interpolant, ck.bridgerArch().interpolant(), "the checkpoint records the interpolant");
        Shares trained = sample(net, ck.evalParams(), interpolant);
        assertTrue(trained.bothModes(), "both modes, coherent chunks, few between: " + trained);
    }
}
