package org.steppolicy.train.importer;

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
        java.util.Map<String, Object> arch = new java.util.LinkedHashMap<>();
        arch.put("net", "conditional_unet1d");
        arch.put("input_dim", DA);
        arch.put("global_cond_dim", TO * DO);
        arch.put("down_dims", UNET.downDims());
        arch.put("kernel_size", 5);
        arch.put("n_groups", 8);
        arch.put("diffusion_step_embed_dim", 16);
        arch.put("cond_predict_scale", true);
        arch.put("horizon", HORIZON);
        arch.put("n_obs_steps", TO);
        arch.put("n_action_steps", TA);
        arch.put("obs_dim", DO);
        arch.put("action_dim", DA);
        arch.put("obs_as_global_cond", true);
        arch.put("num_train_timesteps", 100);
        String yaml = ConfigLoader.defaults(List.of("policy.down_dims=[16, 32]", "policy.diffusion_step_embed_dim=16")).toYaml();
        CheckpointWriter.writeFolder(dir, new CheckpointWriter.Contents(new Checkpoint.Meta("dp", 7, 0.5, arch),
                net.initParams(1), withEma ? net.initParams(2) : null, null, norm.toJson(), yaml));
        return dir;
    }
}
