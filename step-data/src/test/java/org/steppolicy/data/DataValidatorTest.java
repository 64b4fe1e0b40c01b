package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outlier rule (median ± k·(q99 − q01) per dimension) and where findings are reported. */
class DataValidatorTest {
    @TempDir Path dir;

    private static float[][] ramp(int n, float scale) {
        float[][] r = new float[n][2];
        for (int t = 0; t < n; t++) { r[t][0] = t * scale; r[t][1] = (t % 7) * scale; }
        return r;
    }

    @Test
    void aCorruptFloatIsAnOutlierWithDemoKeyRowAndValue() {
        float[][] a = ramp(200, 2.5f), b = ramp(150, 2.5f);
        b[42][1] = 3.06e21f;
        DataValidator.Report r = new DataValidator(10).add("demo_0", "actions", a).add("demo_1", "actions", b).report();
        assertEquals(0, r.nonFiniteCount());
        assertEquals(1, r.outlierCount());
        DataValidator.Finding f = r.outliers().get(0);
        assertEquals("demo_1", f.demo());
        assertEquals(42, f.row());
        assertEquals(1, f.dim());
        assertTrue(f.describe().startsWith("demo_1 actions row 42 dim 1: 3.06000e+21 (median "), f.describe());
        assertTrue(r.lines(5).get(1).startsWith("outlier demo_1 actions row 42 dim 1"), r.lines(5).toString());
    }

    @Test
    void rareDiscreteModesAndHeavyTailsAreNotOutliers() {
        int n = 1000;
        float[][] gripper = new float[n][1];
        for (int t = 0; t < n; t++) gripper[t][0] = t % 50 == 0 ? 1f : -1f;   // +1 in 2 % of rows
        float[][] constant = new float[n][1];
        constant[3][0] = 5f;                                                   // a constant 0 dimension with one 5: within max(1,|m|)*k
        float[][] gauss = new float[n][1];
        java.util.Random rnd = new java.util.Random(1);
        for (int t = 0; t < n; t++) gauss[t][0] = (float) (rnd.nextGaussian() * 3);
        DataValidator.Report r = new DataValidator(10).add("d", "gripper", gripper).add("d", "zero", constant)
                .add("d", "gauss", gauss).report();
        assertTrue(r.clean(), r.lines(10).toString());
    }

    @Test
    void nonFiniteValuesAreListedInFileOrder() {
        float[][] a = ramp(20, 1), b = ramp(20, 1);
        b[3][0] = Float.NaN;
        a[7][1] = Float.NEGATIVE_INFINITY;
        DataValidator.Report r = new DataValidator(10).add("demo_0", "obs/x", a).add("demo_1", "actions", b).report();
        assertEquals(2, r.nonFiniteCount());
        assertEquals("demo_0 obs/x row 7 dim 1: -Inf", r.nonFinite().get(0).describe());
        assertEquals("demo_1 actions row 3 dim 0: NaN", r.nonFinite().get(1).describe());
    }

    @Test
    void theDatasetCarriesTheReportAndDataInfoPrintsIt() throws Exception {
        RobomimicFixture fx = new RobomimicFixture();
        fx.lengths = new int[] {40, 40, 40};
        fx.omit = List.of("demo_2/actions");
        fx.afterDemo = (i, g) -> {
            if (i != 2) return;
            float[][] a = new float[40][7];
            for (int t = 0; t < 40; t++) for (int j = 0; j < 7; j++) a[t][j] = RobomimicFixture.actionValue(i, t, j);
            a[11][4] = 3.06e21f;
            g.putDataset("actions", a);
        };
        Path f = fx.write(dir.resolve("outlier.hdf5"));
        DemoDataset d = DemoDataset.load(f, List.of("object"));
        assertEquals(1, d.checks().outlierCount(), d.checks().lines(5).toString());
        String info = DataInfo.report(f);
        assertTrue(info.contains("checks: ") && info.contains("0 non-finite, 1 outliers"), info);
        assertTrue(info.contains("outlier demo_2 actions row 11 dim 4: 3.06000e+21"), info);
    }
}
