package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;

/** One test per bad-input case of issue 2: one line naming the file, the HDF5 path and the problem. */
class BadInputTest {
    @TempDir Path dir;

    private static final List<String> KEYS = List.of("object", "robot0_eef_pos");

    private DataFileException fails(Path file, List<String> keys, DemoDataset.LoadOptions o, String path,
                                    String problem) {
        DataFileException e = assertThrows(DataFileException.class, () -> DemoDataset.load(file, keys, o));
        assertInstanceOf(UserError.class, e);
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        assertTrue(msg.startsWith(file + ": " + path + ": "), msg);
        assertTrue(msg.contains(problem), msg);
        assertEquals(path, e.internalPath());
        return e;
    }

    private DataFileException fails(Path file, String path, String problem) {
        return fails(file, KEYS, DemoDataset.LoadOptions.defaults(), path, problem);
    }

    @Test
    void notHdf5() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.hdf5"), "just some text, not HDF5\n".repeat(50));
        fails(f, "/", "not an HDF5 file");
        Path empty = Files.write(dir.resolve("empty.hdf5"), new byte[0]);
        fails(empty, "/", "not an HDF5 file");
    }

    @Test
    void truncated() throws IOException {
        Path good = new RobomimicFixture().write(dir.resolve("good.hdf5"));
        byte[] all = Files.readAllBytes(good);
        for (int keep : new int[] {all.length / 2, all.length - 1, 40}) {
            Path cut = Files.write(dir.resolve("cut" + keep + ".hdf5"), Arrays.copyOf(all, keep));
            fails(cut, "/", "truncated");
        }
    }

    @Test
    void noDataGroup() {
        RobomimicFixture fx = new RobomimicFixture();
        Path f = dir.resolve("nodata.hdf5");
        try (var w = io.jhdf.HdfFile.write(f)) {
            w.putGroup("mask").putDataset("valid", new String[] {"demo_0"});
        }
        fails(f, "/data", "missing group 'data' (top-level entries: mask)");
    }

    @Test
    void demoWithoutActions() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.omit = List.of("demo_1/actions");
        fails(fx.write(dir.resolve("noact.hdf5")), "/data/demo_1/actions", "missing dataset 'actions' (demo has:");
    }

    @Test
    void missingObsKeyListsExistingKeys() {
        Path f = new RobomimicFixture().write(dir.resolve("keys.hdf5"));
        DataFileException e = fails(f, List.of("object", "robot0_eef_quat"), DemoDataset.LoadOptions.defaults(),
                "/data/demo_0/obs/robot0_eef_quat", "missing obs key 'robot0_eef_quat' (existing keys: ");
        for (String k : List.of("object", "robot0_eef_pos", "robot0_gripper_qpos")) {
            assertTrue(e.getMessage().contains(k), e.getMessage());
        }
    }

    @Test
    void obsAndActionsOfDifferentLengths() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.omit = List.of("demo_2/obs/robot0_eef_pos");
        fx.afterDemo = (i, g) -> {
            if (i == 2) ((io.jhdf.api.WritableGroup) g.getChild("obs")).putDataset("robot0_eef_pos", new float[14][3]);
        };
        fails(fx.write(dir.resolve("len.hdf5")), "/data/demo_2/obs/robot0_eef_pos", "14 steps but actions has 15");
    }

    @Test
    void nanOrInfValues() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.omit = List.of("demo_1/actions", "demo_2/obs/object");
        fx.afterDemo = (i, g) -> {
            if (i == 1) {
                float[][] a = new float[9][7];
                a[4][2] = Float.NaN;
                g.putDataset("actions", a);
            }
            if (i == 2) {
                float[][] o = new float[15][4];
                o[7][3] = Float.NEGATIVE_INFINITY;
                ((io.jhdf.api.WritableGroup) g.getChild("obs")).putDataset("object", o);
            }
        };
        fails(fx.write(dir.resolve("nan.hdf5")), "/data/demo_1/actions", "NaN at step 4, dim 2");
        fx.omit = List.of("demo_2/obs/object"); // demo_1's actions written normally now; demo_2's obs still has -Inf
        fx.afterDemo = (i, g) -> {
            if (i == 2) {
                float[][] o = new float[15][4];
                o[7][3] = Float.NEGATIVE_INFINITY;
                ((io.jhdf.api.WritableGroup) g.getChild("obs")).putDataset("object", o);
            }
        };
        fails(fx.write(dir.resolve("inf.hdf5")), "/data/demo_2/obs/object", "Inf at step 7, dim 3");
    }

    @Test
    void emptyDemo() throws IOException {
        RobomimicFixture fx = new RobomimicFixture();
        fx.lengths = new int[] {4, 3001, 5};
        Path f = fx.write(dir.resolve("empty-demo.hdf5"));
        RobomimicFixture.rewriteLength(f, 3001, 0);
        try (DemoFile df = DemoFile.open(f)) {
            assertEquals(0, df.actionsDataset("demo_1").getDimensions()[0], "fixture really has an empty demo");
        }
        fails(f, "/data/demo_1", "empty demo");
    }

    @Test
    void dimsDisagreeWithConfig() {
        Path f = new RobomimicFixture().write(dir.resolve("dims.hdf5"));
        fails(f, KEYS, DemoDataset.LoadOptions.defaults().withDims(23, 7), "/data/demo_0/obs",
                "obs keys give 7 values per step (object 4 + robot0_eef_pos 3) but the config says obs_dim 23");
        // (7 → 10 is not a mismatch: it is the axis-angle → rot6d conversion, DemoDatasetTest)
        fails(f, KEYS, DemoDataset.LoadOptions.defaults().withDims(7, 8), "/data/demo_0/actions",
                "actions have 7 dims but the config says action_dim 8");
    }

    @Test
    void dimsDisagreeBetweenDemos() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.omit = List.of("demo_2/actions");
        fx.afterDemo = (i, g) -> { if (i == 2) g.putDataset("actions", new float[15][6]); };
        fails(fx.write(dir.resolve("dims2.hdf5")), "/data/demo_2/actions", "6 action dims but demo_0 has 7");
    }

    @Test
    void maskNamingUnknownDemo() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.masks = true;
        fx.valid = List.of("demo_7");
        fails(fx.write(dir.resolve("mask.hdf5")), "/mask/valid", "names 'demo_7', which is not in /data");
    }

    @Test
    void missingFileOrAFolder() {
        Path absent = dir.resolve("absent.hdf5");
        DataFileException e = assertThrows(DataFileException.class, () -> DemoDataset.load(absent, KEYS));
        assertEquals(absent + ": no such file", e.getMessage());
        e = assertThrows(DataFileException.class, () -> DemoDataset.load(dir, KEYS));
        assertEquals(dir + ": is a folder; give an HDF5 file", e.getMessage());
    }
}
