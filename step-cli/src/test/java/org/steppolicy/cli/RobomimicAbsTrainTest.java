package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.TaskConfig;

/**
 * Every RoboMimic config trains from the CLI on a file laid out like robomimic's low_dim_abs.hdf5 (axis-angle actions,
 * 7 per arm): the actions become rot6d (10 per arm) on load, the config's action_dim. Toy sizes, 2 steps each.
 */
class RobomimicAbsTrainTest {
    private static final String[] TINY = {"policy.down_dims=[8,16]", "policy.diffusion_step_embed_dim=16",
            "training.batch_size=4", "training.val_every=2", "training.checkpoint_every=2"};
    private static final int DEMOS = 4, STEPS = 24;

    @TempDir
    Path tmp;

    @Test
    void everyRobomimicConfigTrainsOnAxisAngleActions() throws Exception {
        for (String task : List.of("lift", "can", "square", "transport", "tool_hang")) {
            String config = "configs/" + task + ".yaml";
            TaskConfig t = ConfigLoader.load(Path.of(config), List.of()).task();
            int arms = t.actionDim() / 10;
            Path data = writeAbsFile(tmp.resolve(task + ".hdf5"), t, arms);
            Path out = tmp.resolve("run-" + task);
            StepCliTest.Result r = StepCliTest.run(StepCliTest.args(
                    new String[] {"train-dp", "--config", config, "--data", data.toString(), "--out", out.toString(),
                            "--max-steps", "2"}, TINY));
            assertEquals(0, r.code(), task + ": " + r.err());
            JsonNode meta = new ObjectMapper().readTree(out.resolve("checkpoints/step-0000002/meta.json").toFile());
            assertEquals(t.actionDim(), meta.get("arch").get("action_dim").asInt(), task);
            JsonNode norm = new ObjectMapper().readTree(out.resolve("checkpoints/step-0000002/normalizer.json").toFile());
            assertEquals(10 * arms, norm.get("action").get("scale").size(), task);
        }
    }

    /** BRIDGeR on a RoboMimic file: train-bridger beside a DP, then the offline figures, bridger:2 among the other methods. */
    @Test
    void bridgerGivesOfflineFiguresOnARobomimicFile() throws Exception {
        String config = "configs/square.yaml";
        TaskConfig t = ConfigLoader.load(Path.of(config), List.of()).task();
        Path data = writeAbsFile(tmp.resolve("square-bridger.hdf5"), t, t.actionDim() / 10);
        Path dp = tmp.resolve("dp"), bridger = tmp.resolve("bridger"), eval = tmp.resolve("eval");
        StepCliTest.Result r = StepCliTest.run(StepCliTest.args(new String[] {"train-dp", "--config", config, "--data", data.toString(),
                "--out", dp.toString(), "--max-steps", "2"}, TINY));
        assertEquals(0, r.code(), r.err());
        r = StepCliTest.run("train-bridger", "--config", config, "--data", data.toString(), "--out", bridger.toString(), "--max-steps", "2",
                "policy.down_dims=[8,16]", "policy.diffusion_step_embed_dim=16", "bridger_training.batch_size=4",
                "bridger_training.val_every=2", "bridger_training.checkpoint_every=2");
        assertEquals(0, r.code(), r.err());
        r = StepCliTest.run("eval", "--config", config, "--data", data.toString(), "--policy", dp.toString(), "--predictor", bridger.toString(),
                "--methods", "ddim:2,bridger:2", "--out", eval.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("action MSE") && r.out().contains("bridger:2"), r.out());
        JsonNode results = new ObjectMapper().readTree(eval.resolve("results.json").toFile());
        JsonNode row = null;
        for (JsonNode m : results.isArray() ? results : results.path("methods")) if ("bridger:2".equals(m.path("method").asText())) row = m;
        assertTrue(row != null && row.path("action_mse_chunk").isNumber() && row.path("action_mse_chunk").asDouble() > 0, results.toString());
    }

    /** RoboMimic layout, the config's obs keys (object takes what the robot keys leave of obs_dim), 7·arms actions. */
    private static Path writeAbsFile(Path file, TaskConfig t, int arms) {
        Random rnd = new Random(t.name().hashCode());
        int robot = 0;
        for (String k : t.obsKeys()) robot += width(k);
        int objectDim = t.obsDim() - robot;
        try (WritableHdfFile w = HdfFile.write(file)) {
            WritableGroup data = w.putGroup("data");
            for (int d = 0; d < DEMOS; d++) {
                WritableGroup demo = data.putGroup("demo_" + d);
                float[][] actions = new float[STEPS][7 * arms];
                for (float[] a : actions) {
                    for (int arm = 0; arm < arms; arm++) {
                        double x = rnd.nextGaussian(), y = rnd.nextGaussian(), z = rnd.nextGaussian();
                        double n = Math.sqrt(x * x + y * y + z * z), theta = rnd.nextDouble() * Math.PI;
                        float[] v = {(float) rnd.nextGaussian() * 0.2f, (float) rnd.nextGaussian() * 0.2f, 0.8f + (float) rnd.nextGaussian() * 0.1f,
                                (float) (x / n * theta), (float) (y / n * theta), (float) (z / n * theta), rnd.nextBoolean() ? 1f : -1f};
                        System.arraycopy(v, 0, a, 7 * arm, 7);
                    }
                }
                demo.putDataset("actions", actions);
                WritableGroup obs = demo.putGroup("obs");
                for (String k : t.obsKeys()) {
                    float[][] o = new float[STEPS][k.equals("object") ? objectDim : width(k)];
                    for (float[] row : o) for (int j = 0; j < row.length; j++) row[j] = (float) rnd.nextGaussian();
                    obs.putDataset(k, o);
                }
            }
        }
        return file;
    }

    private static int width(String key) {
        if (key.endsWith("eef_pos")) return 3;
        if (key.endsWith("eef_quat")) return 4;
        if (key.endsWith("gripper_qpos")) return 2;
        return 0; // object: the rest of obs_dim
    }
}
