package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.CvaeArch;
import org.steppolicy.models.CvaeDecoderNet;

/**
 * The CVAE source (docs/bridger.md) trained on chunks that are all +0.6 (three windows in four) or all −0.6, under
 * an uninformative observation, must sample both modes from its decoder with z ~ N(0, I), in about the data's
 * proportion, not their mean (0.3, what a plain regression would give). Tiny MLPs (latent 2, hidden 32x2, β = 0.1),
 * 300 steps: about 7 s of training (15 s in all) on the loaded 2-core machine.
 */
class CvaeTwoModeTest {
    private static final float MODE = 0.6f;
    private static final int H = 4, STEPS = 300, N = 400;

    /** 256 windows, Do = Da = 1, obs all zero; windows i % 4 != 3 in the + mode. */
    private static final class TwoModes implements WindowSource {
        @Override public int size() { return 256; }
        @Override public int horizon() { return H; }
        @Override public int obsDim() { return 1; }
        @Override public int actionDim() { return 1; }

        @Override
        public void window(int i, float[] obs, int oo, float[] action, int ao, float[] prev, int po) {
            for (int t = 0; t < H; t++) {
                obs[oo + t] = 0;
                action[ao + t] = i % 4 != 3 ? MODE : -MODE;
            }
        }
    }

    /** Shares of the chunks with every value within 0.25 of +MODE, of −MODE. */
    private static double[] shares(float[] x) {
        int plus = 0, minus = 0;
        for (int i = 0; i < N; i++) {
            boolean p = true, m = true;
            for (int t = 0; t < H; t++) {
                p &= Math.abs(x[i * H + t] - MODE) < 0.25;
                m &= Math.abs(x[i * H + t] + MODE) < 0.25;
            }
            if (p) plus++;
            else if (m) minus++;
        }
        return new double[] {(double) plus / N, (double) minus / N};
    }

    @Test
    void decoderSamplesBothModesInProportion(@TempDir Path dir) {
        CvaeArch arch = new CvaeArch(2, List.of(32, 32), H, 1, 1);
        CvaeTask task = new CvaeTask(arch, 0.1, Map.of("toy", true), 7, 128, 1, new TwoModes(), null, "{}", "");
        Trainer.Settings s = new Trainer.Settings(STEPS, 20, 1e-2, new AdamW.Settings(0.9, 0.999, 1e-8, 0), null, 1000, 1000, 1, 7);
        Trainer.Summary sum = new Trainer(task, s, dir, null).run(null);
        assertEquals(STEPS, sum.lastStep());

        CvaeDecoderNet decoder = arch.decoder();
        float[] x = new float[N * H];
        BridgerSource.cvae(decoder, Checkpoint.load(sum.lastCheckpoint()).evalParams()).sample(new float[N], N, new SplittableRandom(3), x);
        double[] got = shares(x);
        // Measured 0.70 and 0.17 (the rest between the modes): the minority mode is under-sampled at this budget, so
        // "roughly": most samples at a mode, both modes present, the majority mode the larger one.
        double minorShare = got[1] / (got[0] + got[1]);
        assertTrue(got[0] + got[1] > 0.75 && got[1] > 0.08 && minorShare > 0.1 && minorShare < 0.4,
                "+ mode share " + got[0] + " (data 0.75), - mode share " + got[1] + " (data 0.25)");

        // The untrained decoder gives neither mode: the check tells a learnt source from chance.
        BridgerSource.cvae(decoder, decoder.initParams(7)).sample(new float[N], N, new SplittableRandom(3), x);
        double[] untrained = shares(x);
        assertTrue(untrained[0] < 0.1 && untrained[1] < 0.1, "untrained: " + untrained[0] + ", " + untrained[1]);
    }
}
