package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataInfoTest {
    @TempDir Path dir;

    @Test
    void reportsDemosStepsLengthsKeysMasksAndEnv() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.lengths = new int[] {4, 10, 7};
        fx.masks = true;
        fx.imageSide = 6;
        fx.omit = List.of("demo_2/obs/robot0_gripper_qpos");
        Path file = fx.write(dir.resolve("info.hdf5"));
        DataInfo.Summary s = DataInfo.summarize(file);
        assertEquals(List.of("demo_0", "demo_1", "demo_2"), s.demos());
        assertEquals(21, s.totalSteps());
        assertEquals(4, s.minLength());
        assertEquals(7.0, s.meanLength(), 1e-12);
        assertEquals(10, s.maxLength());
        assertEquals(List.of("demo_1"), s.masks().get("valid"));
        assertEquals(List.of("demo_0", "demo_2"), s.masks().get("train"));
        String r = DataInfo.format(s);
        assertTrue(r.contains("demos: 3 (demo_0 .. demo_2)"), r);
        assertTrue(r.contains("steps: 21"), r);
        assertTrue(r.contains("episode length: min 4, mean 7.0, max 10"), r);
        assertTrue(r.matches("(?s).*actions +\\[7] +float32\\n.*"), r);
        assertTrue(r.matches("(?s).*obs/object +\\[4] +float32\\n.*"), r);
        assertTrue(r.matches("(?s).*obs/image +\\[6, 6, 3] +uint8 +chunks \\[4, 6, 6, 3], deflate\\n.*"), r);
        assertTrue(r.matches("(?s).*dones +\\[] +int64\\n.*"), r);
        assertTrue(r.contains("obs/robot0_gripper_qpos") && r.contains("(in 2 of 3 demos)"), r);
        assertTrue(r.contains("valid: 1 demos (demo_1)"), r);
        assertTrue(r.contains("env_args: env_name Lift; type 1; env_kwargs {control_freq=20}"), r);
    }

    @Test
    void noMasksSaysSeededSplit() {
        RobomimicFixture fx = new RobomimicFixture();
        fx.envArgs = null;
        String r = DataInfo.report(fx.write(dir.resolve("plain.hdf5")));
        assertTrue(r.contains("masks: none (training uses the seeded split"), r);
        assertTrue(r.contains("env_args: none"), r);
    }

    @Test
    void officialPushT() {
        Path f = PushTOfficialDataTest.LOWDIM;
        assumeTrue(Files.exists(f), "official Push-T data absent: skipped");
        String r = DataInfo.report(f);
        assertTrue(r.contains("demos: 206 (demo_0 .. demo_205)"), r);
        assertTrue(r.contains("steps: 25650"), r);
        assertTrue(r.contains("episode length: min 49, mean 124.5, max 246"), r);
        assertTrue(r.contains("valid: 4 demos (demo_18, demo_90, demo_134, demo_157)"), r);
        assertTrue(r.contains("env_name PushT"), r);
    }

    @Test
    void badFileFailsWithOneLine() throws Exception {
        Path f = Files.writeString(dir.resolve("x.hdf5"), "hello");
        DataFileException e = assertThrows(DataFileException.class, () -> DataInfo.report(f));
        assertEquals(f + ": /: not an HDF5 file (no HDF5 signature)", e.getMessage());
    }

    /** data info runs train-dp's checks of the structure (issue 21 item 8): before, these files passed it. */
    @Test
    void refusesWhatTrainingRefuses() {
        RobomimicFixture shortObs = new RobomimicFixture();
        shortObs.omit = List.of("demo_1/obs/object");
        shortObs.afterDemo = (i, g) -> {
            if (i == 1) ((io.jhdf.api.WritableGroup) g.getChild("obs")).putDataset("object", new float[5][4]);
        };
        DataFileException e = assertThrows(DataFileException.class, () -> DataInfo.report(shortObs.write(dir.resolve("short.hdf5"))));
        assertTrue(e.getMessage().contains("/data/demo_1/obs/object") && e.getMessage().contains("5 steps but actions has 9"), e.getMessage());

        RobomimicFixture badMask = new RobomimicFixture();
        badMask.masks = true;
        badMask.valid = List.of("demo_1", "demo_7");
        e = assertThrows(DataFileException.class, () -> DataInfo.report(badMask.write(dir.resolve("mask.hdf5"))));
        assertTrue(e.getMessage().contains("/mask/valid") && e.getMessage().contains("names 'demo_7', which is not in /data"), e.getMessage());
    }
}
