package org.steppolicy.cli;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small Push-T-shaped HDF5 file (keypoint 18 + agent_pos 2 observations, 2-D actions in [0, 512]) written with
 * jhdf, so the robustness tests train in seconds without the official data and can break one value on purpose.
 */
final class PushTFile {
    int demos = 6, steps = 40;
    /** When set: demo, row, dim of the actions and the value written there (e.g. 3.06e21f, Float.NaN). */
    int badDemo = -1, badRow, badDim;
    float badValue;

    /** A smooth, distinct value for every (demo, row, dim): the file holds each float pattern once. */
    static float action(int demo, int t, int j) {
        return 100f + demo * 37.25f + t * 3.125f + j * 11.5f + 0.001f * (demo * 1000 + t * 10 + j);
    }

    Path write(Path file) {
        try (WritableHdfFile w = HdfFile.write(file)) {
            WritableGroup data = w.putGroup("data");
            data.putAttribute("env_args", "{\"env_name\": \"PushT\", \"type\": \"pusht\", \"env_kwargs\": {}}");
            for (int i = 0; i < demos; i++) {
                WritableGroup demo = data.putGroup("demo_" + i);
                demo.putAttribute("num_samples", (long) steps);
                demo.putAttribute("seed", 1000L + i);
                float[][] a = new float[steps][2], kp = new float[steps][18], pos = new float[steps][2];
                for (int t = 0; t < steps; t++) {
                    for (int j = 0; j < 2; j++) a[t][j] = action(i, t, j);
                    for (int j = 0; j < 18; j++) kp[t][j] = 200f + 5f * j + 0.5f * t + i;
                    pos[t][0] = a[t][0] - 1f;
                    pos[t][1] = a[t][1] - 1f;
                }
                if (i == badDemo) a[badRow][badDim] = badValue;
                demo.putDataset("actions", a);
                WritableGroup obs = demo.putGroup("obs");
                obs.putDataset("keypoint", kp);
                obs.putDataset("agent_pos", pos);
            }
        }
        return file;
    }

    /** Flips the lowest mantissa byte of actions[row][dim] of {@code demo} in the file (found by its bytes). */
    static void flipActionByte(Path file, int demo, int row, int dim) throws IOException {
        byte[] b = Files.readAllBytes(file);
        byte[] pattern = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(action(demo, row, dim)).array();
        int at = -1;
        for (int i = 0; i + 4 <= b.length && at < 0; i++)
            if (b[i] == pattern[0] && b[i + 1] == pattern[1] && b[i + 2] == pattern[2] && b[i + 3] == pattern[3]) at = i;
        if (at < 0) throw new IllegalStateException("value not found in " + file);
        b[at] ^= 0x01;
        Files.write(file, b);
    }
}
