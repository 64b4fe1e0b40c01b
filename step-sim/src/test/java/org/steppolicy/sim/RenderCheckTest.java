package org.steppolicy.sim;

import org.junit.jupiter.api.Test;
import org.steppolicy.data.DemoFile;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderCheckTest {
    /** The first demos of the official image file: the renderer meets issue 8's bar on them. */
    @Test
    void firstDemosOfTheImageFileMeetTheBar() {
        Path file = TestData.require(TestData.IMAGE);
        RenderCheck.Summary s = RenderCheck.run(file, 3);
        assertEquals(3, s.demos().size());
        assertTrue(s.frames() > 100, "frames " + s.frames());
        assertTrue(s.meetsBar(), s.report());
        for (RenderCheck.DemoResult d : s.demos()) {
            assertTrue(d.meanAbsErr() <= RenderCheck.MAX_MEAN_ABS_ERR, d.toString());
            assertTrue(d.shareWithin() >= RenderCheck.MIN_SHARE_WITHIN, d.toString());
        }
        assertTrue(s.toJson().contains("\"per_demo\""));
    }

    /** The comparison discriminates: the same frame drawn from a block moved by 40 px is far worse than the true state. */
    @Test
    void aWrongStateIsFarWorse() {
        Path file = TestData.require(TestData.IMAGE);
        try (DemoFile f = DemoFile.open(file)) {
            String demo = f.demoNames().get(2);
            int k = 40;
            float[][] states = f.readRows(f.obsDataset(demo, "state"));
            byte[] rec = f.readFrames(demo, "image", k, k + 1);
            double[] s = new double[5];
            for (int i = 0; i < 5; i++) s[i] = states[k][i];
            double right = meanAbs(rec, s);
            s[2] += 40;
            double wrong = meanAbs(rec, s);
            assertTrue(right < 0.2, "true state: mean abs error " + right);
            assertTrue(wrong > 1.0, "moved block: mean abs error " + wrong);
        }
    }

    private static double meanAbs(byte[] rec, double[] state) {
        byte[] mine = PushTRenderer.rgbBytes(PushTRenderer.render(FrameState.ofState(state, null), 96));
        double sum = 0;
        for (int i = 0; i < mine.length; i++) sum += Math.abs((mine[i] & 255) - (rec[i] & 255));
        return sum / mine.length;
    }
}
