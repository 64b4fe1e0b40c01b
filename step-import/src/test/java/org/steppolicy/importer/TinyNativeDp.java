package org.steppolicy.importer;

import org.steppolicy.models.DpArch;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.UnetConfig;
import org.steppolicy.train.CheckpointWriter;

/** A small DP checkpoint folder as train-dp writes it, with random weights (raw and EMA differ) and normaliser. */
final class TinyNativeDp {
    static final int HORIZON = 16, TO = 2, TA = 8, DO = 20, DA = 2;
    static final UnetConfig UNET = new UnetConfig(DA, TO * DO, List.of(16, 32), 5, 8, 16, true);

    private TinyNativeDp() {}

    static Path write(Path dir, boolean withEma) {
        ConditionalUnet1d net = new ConditionalUnet1d(UNET, HORIZON);
        SplittableRandom r = new SplittableRandom(5);
        float[][] mm = new float[4][];
        for (int k = 0; k < 4; k++) {
            int d = k < 2 ? DO : DA;
            mm[k] = new float[d];
            for (int i = 0; i < d; i++) mm[k][i] = (float) (k % 2 == 0 ? r.nextDouble(0, 100) : r.nextDouble(200, 500));
        }
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.fromStats("limits", mm[0], mm[1]),
                LinearNormalizer.fromStats("limits", mm[2], mm[3]));
        java.util.Map<String, Object> arch = new DpArch(new UnetConfig(DA, TO * DO, UNET.downDims(), 5, 8, 16, true), HORIZON, TO, TA,
                DO, DA, 100, null, null).toArch();
        String yaml = ConfigLoader.defaults(List.of("policy.down_dims=[16, 32]", "policy.diffusion_step_embed_dim=16")).toYaml();
        CheckpointWriter.writeFolder(dir, new CheckpointWriter.Contents(new Checkpoint.Meta("dp", 7, 0.5, arch),
                net.initParams(1), withEma ? net.initParams(2) : null, null, norm.toJson(), yaml));
        return dir;
    }
}
