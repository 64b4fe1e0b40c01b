package org.steppolicy.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Writes small RoboMimic-layout HDF5 files for tests (jhdf's writer), with hooks to break them in one place. */
final class RobomimicFixture {
    int[] lengths = {12, 9, 15};
    int actionDim = 7;
    Map<String, Integer> obsKeys = new LinkedHashMap<>(Map.of());
    boolean masks = false;
    List<String> valid = List.of("demo_1");
    int imageSide = 0;                   // > 0 adds obs/image (n, side, side, 3) uint8, chunked
    String envArgs = "{\"env_name\": \"Lift\", \"type\": 1, \"env_kwargs\": {\"control_freq\": 20}}";
    /** Called for each demo after it is written: (demo index, demo group) to add or replace entries. */
    BiConsumer<Integer, WritableGroup> afterDemo = (i, g) -> { };
    /** Skip writing these entries, as "demo_<i>/actions" or "demo_<i>/obs/<key>". */
    List<String> omit = List.of();

    RobomimicFixture() {
        obsKeys.put("object", 4);
        obsKeys.put("robot0_eef_pos", 3);
        obsKeys.put("robot0_gripper_qpos", 2);
    }

    /** The value every test can predict: obs key k, dim j of demo i at step t. */
    static float obsValue(int demo, int key, int t, int j) { return demo * 1000 + key * 100 + t + j * 0.01f; }

    static float actionValue(int demo, int t, int j) { return -(demo * 1000 + t) - j * 0.001f; }

    static int pixel(int demo, int t, int y, int x, int c) { return (demo * 31 + t * 7 + y * 5 + x * 3 + c) & 0xff; }

    /**
     * jhdf cannot write zero-length datasets, so an empty demo is made by writing it with a marker length and then
     * rewriting every 8-byte little-endian occurrence of that length (dataspace dims, num_samples) to {@code to},
     * re-sealing the checksums of the v2 object headers it touched.
     */
    static void rewriteLength(Path file, long from, long to) throws java.io.IOException {
        byte[] b = java.nio.file.Files.readAllBytes(file);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int hits = 0;
        for (int i = 0; i + 8 <= b.length; i++) {
            if (buf.getLong(i) == from) {
                buf.putLong(i, to);
                hits++;
            }
        }
        if (hits < 2) throw new IllegalStateException("marker length " + from + " found " + hits + " times");
        for (int i = 0; i + 4 <= b.length; i++) {
            if (b[i] == 'O' && b[i + 1] == 'H' && b[i + 2] == 'D' && b[i + 3] == 'R') {
                int flags = b[i + 5] & 0xff;
                int pos = i + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
                int width = 1 << (flags & 3);
                long size = 0;
                for (int k = 0; k < width; k++) size |= (long) (b[pos + k] & 0xff) << (8 * k);
                int end = pos + width + (int) size;
                buf.putInt(end, io.jhdf.checksum.ChecksumUtils.checksum(java.util.Arrays.copyOfRange(b, i, end)));
            }
        }
        java.nio.file.Files.write(file, b);
    }

    Path write(Path file) {
        try (WritableHdfFile w = HdfFile.write(file)) {
            WritableGroup data = w.putGroup("data");
            long total = 0;
            for (int l : lengths) total += l;
            data.putAttribute("total", total);
            if (envArgs != null) data.putAttribute("env_args", envArgs);
            // written in reverse so that file order differs from numeric order
            for (int i = lengths.length - 1; i >= 0; i--) {
                String name = "demo_" + i;
                int n = lengths[i];
                WritableGroup demo = data.putGroup(name);
                demo.putAttribute("num_samples", (long) n);
                demo.putAttribute("seed", 100L + i);
                if (!omit.contains(name + "/actions")) {
                    float[][] a = new float[n][actionDim];
                    for (int t = 0; t < n; t++) for (int j = 0; j < actionDim; j++) a[t][j] = actionValue(i, t, j);
                    demo.putDataset("actions", a);
                }
                long[] dones = new long[n];
                if (n > 0) dones[n - 1] = 1;
                demo.putDataset("dones", dones);
                WritableGroup obs = demo.putGroup("obs");
                int k = 0;
                for (var e : obsKeys.entrySet()) {
                    if (!omit.contains(name + "/obs/" + e.getKey())) {
                        float[][] o = new float[n][e.getValue()];
                        for (int t = 0; t < n; t++) for (int j = 0; j < e.getValue(); j++) o[t][j] = obsValue(i, k, t, j);
                        obs.putDataset(e.getKey(), o);
                    }
                    k++;
                }
                if (imageSide > 0) {
                    byte[][][][] img = new byte[n][imageSide][imageSide][3];
                    for (int t = 0; t < n; t++)
                        for (int y = 0; y < imageSide; y++)
                            for (int x = 0; x < imageSide; x++)
                                for (int c = 0; c < 3; c++) img[t][y][x][c] = (byte) pixel(i, t, y, x, c);
                    obs.putDataset("image", img, DatasetCreationOptions.builder().unsigned()
                            .chunkDimensions(4, imageSide, imageSide, 3).deflate(4).build());
                }
                afterDemo.accept(i, demo);
            }
            if (masks) {
                WritableGroup mask = w.putGroup("mask");
                mask.putDataset("valid", valid.toArray(String[]::new));
                java.util.List<String> train = new java.util.ArrayList<>();
                for (int i = 0; i < lengths.length; i++) if (!valid.contains("demo_" + i)) train.add("demo_" + i);
                mask.putDataset("train", train.toArray(String[]::new));
            }
        }
        return file;
    }
}
