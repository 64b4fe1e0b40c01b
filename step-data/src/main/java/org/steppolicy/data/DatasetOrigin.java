package org.steppolicy.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.steppolicy.config.TaskConfig;
import org.steppolicy.config.UserError;

/**
 * Where a task's dataset comes from, for the one-line error when the configured file is missing: the datasets are not
 * shipped, so the message says where the file is expected, how to get it, and that {@code --data FILE} points elsewhere.
 */
final class DatasetOrigin {
    private static final Set<String> ROBOMIMIC_TASKS = Set.of("lift", "can", "square", "transport", "tool_hang");

    private DatasetOrigin() {}

    static UserError missing(TaskConfig task, Path file) {
        return new UserError(file + ": no such dataset file (task.dataset; expected at " + file.toAbsolutePath().normalize()
                + "). " + source(task) + "; or pass --data FILE to use a file elsewhere");
    }

    private static String source(TaskConfig task) {
        if (isRobomimic(task)) {
            return "It is robomimic's published low-dim " + task.name() + " data: robomimic's download script fetches "
                    + "low_dim.hdf5, and Diffusion Policy's scripts/robomimic_dataset_conversion.py turns it into "
                    + "low_dim_abs.hdf5 (absolute actions, which these configs use)";
        }
        if (isPushT(task)) {
            String zip = "Diffusion Policy's published Push-T data (pusht.zip from "
                    + "https://diffusion-policy.cs.columbia.edu/data/training/, holding pusht_cchi_v7_replay.zarr)";
            return task.hasImages()
                    ? "It is " + zip + " as HDF5 with the 96x96 frames in obs/" + task.imageKey()
                            + " (`step data convert-zarr IN.zarr OUT.hdf5` converts the low-dim part only)"
                    : "It is " + zip + ", converted with `step data convert-zarr IN.zarr OUT.hdf5`";
        }
        return "It is a RoboMimic-layout HDF5 file (/data/demo_<i>/{actions, obs/<key>})";
    }

    private static boolean isRobomimic(TaskConfig task) {
        List<String> keys = task.obsKeys() == null ? List.of() : task.obsKeys();
        return ROBOMIMIC_TASKS.contains(task.name()) || keys.contains("robot0_eef_pos");
    }

    private static boolean isPushT(TaskConfig task) {
        return task.hasSimulator() || (task.name() != null && task.name().startsWith("pusht"));
    }
}
