package org.steppolicy.importer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.TensorStore;
import org.steppolicy.models.UnetConfig;

/**
 * The upstream reference files (../shared/data/reference/import/, generated from diffusion_policy 5ba07ac6 and
 * LeRobot v0.6.1): tests that need them skip with a message when they are absent.
 */
final class ImportFixtures {
    static final Path DIR = Path.of("../shared/data/reference/import");
    static final Path DP_CKPT = DIR.resolve("dp_pusht_lowdim_tiny.ckpt");
    static final Path DP_EXPECTED = DIR.resolve("dp_pusht_lowdim_tiny_expected.npz");
    static final Path LEROBOT = DIR.resolve("lerobot_diffusion_tiny");
    static final Path LEROBOT_EXPECTED = DIR.resolve("lerobot_diffusion_tiny_expected.npz");

    private ImportFixtures() {}

    static Path require(Path p) {
        assumeTrue(Files.exists(p), "reference fixture " + p.toAbsolutePath().normalize() + " is absent: skipped");
        return p;
    }

    /** The U-Net with these weights on the SameDiff rendering: noise prediction for (sample, timestep, global_cond). */
    static float[] unetSameDiff(UnetConfig cfg, int horizon, TensorStore params, Npz.Array sample, Npz.Array timestep, Npz.Array cond) {
        ConditionalUnet1d net = new ConditionalUnet1d(cfg, horizon);
        SameDiff sd = SameDiff.create();
        net.buildSameDiff(sd, params);
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(ConditionalUnet1d.SAMPLE, Nd4j.create(sample.floats(), sample.shape(), 'c'));
        feed.put(ConditionalUnet1d.TIMESTEP, Nd4j.create(timestep.floats(), timestep.shape(), 'c'));
        if (cond != null) feed.put(ConditionalUnet1d.GLOBAL_COND, Nd4j.create(cond.floats(), cond.shape(), 'c'));
        return sd.output(feed, ConditionalUnet1d.NOISE_PRED).get(ConditionalUnet1d.NOISE_PRED).dup('c').data().asFloat();
    }

    /** Largest |a - b| / max(1, |b|). */
    static double maxRelDiff(float[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
        return m;
    }

    static double maxAbsDiff(float[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
