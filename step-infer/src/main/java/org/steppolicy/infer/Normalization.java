package org.steppolicy.infer;

import java.util.Arrays;

/**
 * A per-dimension affine normaliser y = x·scale + offset, the form every LinearNormalizer mode reduces to
 * (docs/reference/diffusion-policy.md §C). Kept minimal so that step-data's LinearNormalizer adapts in one line.
 */
public record Normalization(float[] scale, float[] offset) {
    public Normalization {
        if (scale.length != offset.length)
            throw new IllegalArgumentException("normaliser scale has " + scale.length + " dims, offset " + offset.length);
        for (float s : scale)
            if (!(s != 0f && Float.isFinite(s))) throw new IllegalArgumentException("normaliser scale must be finite and non-zero");
        scale = scale.clone();
        offset = offset.clone();
    }

    public static Normalization identity(int dim) {
        float[] one = new float[dim];
        Arrays.fill(one, 1f);
        return new Normalization(one, new float[dim]);
    }

    public int dim() { return scale.length; }

    /** Normalises raw[0..dim) into out[off .. off+dim). */
    public void normalize(double[] raw, float[] out, int off) {
        for (int d = 0; d < scale.length; d++) out[off + d] = (float) (raw[d] * scale[d] + offset[d]);
    }

    public float normalize(int d, double raw) {
        return (float) (raw * scale[d] + offset[d]);
    }

    public double unnormalize(int d, float y) {
        return (y - (double) offset[d]) / scale[d];
    }

    /** Same dimension and every scale and offset within a relative tolerance (JSON round trips lose the last bits). */
    public boolean sameAs(Normalization o, double relTol) {
        if (o.dim() != dim()) return false;
        for (int d = 0; d < dim(); d++) {
            if (!close(scale[d], o.scale[d], relTol) || !close(offset[d], o.offset[d], relTol)) return false;
        }
        return true;
    }

    private static boolean close(double a, double b, double relTol) {
        return Math.abs(a - b) <= relTol * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(scale, n.scale) && Arrays.equals(offset, n.offset);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(scale) + Arrays.hashCode(offset); }

    @Override
    public String toString() { return "Normalization(scale=" + Arrays.toString(scale) + ", offset=" + Arrays.toString(offset) + ")"; }
}
