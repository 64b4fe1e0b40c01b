package org.steppolicy.importer;

import org.steppolicy.data.LinearNormalizer;

/**
 * Names an imported normaliser's mode. The values are always kept as stored upstream; the label only says which
 * native mode fits the same values from the recorded min/max, so {@code train-predictor --dp} can compare it with the
 * normaliser it fits on the data. Anything else is {@link LinearNormalizer#AFFINE}.
 */
final class NormalizerLabels {
    private static final double REL_TOL = 1e-6;

    private NormalizerLabels() {}

    static LinearNormalizer labelled(float[] scale, float[] offset, float[] min, float[] max) {
        String mode = LinearNormalizer.AFFINE;
        if (allEqual(scale, 1f) && allEqual(offset, 0f)) mode = LinearNormalizer.IDENTITY;
        else if (min != null && max != null) {
            LinearNormalizer fit = LinearNormalizer.fromStats(LinearNormalizer.LIMITS, min, max);
            if (close(fit.scale(), scale) && close(fit.offset(), offset)) mode = LinearNormalizer.LIMITS;
        }
        float[] lo = min != null ? min : new float[scale.length], hi = max != null ? max : new float[scale.length];
        return LinearNormalizer.of(mode, scale, offset, lo, hi);
    }

    private static boolean allEqual(float[] v, float x) {
        for (float f : v) if (f != x) return false;
        return true;
    }

    private static boolean close(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++)
            if (Math.abs(a[i] - b[i]) > REL_TOL * Math.max(1, Math.max(Math.abs(a[i]), Math.abs(b[i])))) return false;
        return true;
    }
}
