package org.steppolicy.importer;

import java.util.Arrays;

/**
 * PyTorch's weight layouts against the native matmul layout of {@code ParamSpec} (the U-Net's four kinds, told apart
 * by the native rank): vector as is; Linear {@code [out, in]} ↔ {@code [in, out]}; Conv1d {@code [out, in, k]} ↔
 * {@code [k, in, out]}; ConvTranspose1d {@code [in, out, k]} ↔ {@code [1, k, out, in]}. Both 3-D cases reverse the
 * axes, which is its own inverse.
 */
public final class TorchLayout {

    private TorchLayout() {}

    /** The PyTorch shape of a native parameter shape. */
    public static long[] torchShape(long[] nativeShape) {
        long[] s = nativeShape;
        return switch (s.length) {
            case 1 -> s.clone();
            case 2 -> new long[] {s[1], s[0]};
            case 3 -> new long[] {s[2], s[1], s[0]};
            case 4 -> {
                if (s[0] != 1) throw new IllegalArgumentException("no PyTorch layout for native shape " + Arrays.toString(s));
                yield new long[] {s[3], s[2], s[1]};
            }
            default -> throw new IllegalArgumentException("no PyTorch layout for native shape " + Arrays.toString(s));
        };
    }

    /** PyTorch-layout values (row-major, shape {@link #torchShape}) in the native layout of {@code nativeShape}. */
    public static float[] toNative(float[] torch, long[] nativeShape) {
        return reorder(torch, torchShape(nativeShape));
    }

    /** Native values of {@code nativeShape} in PyTorch's layout. */
    public static float[] toTorch(float[] nat, long[] nativeShape) {
        long[] s = nativeShape.length == 4 ? Arrays.copyOfRange(nativeShape, 1, 4) : nativeShape;
        return reorder(nat, s);
    }

    /** Values of {@code shape} with their axes reversed (1-D: a copy). */
    private static float[] reorder(float[] v, long[] shape) {
        if (shape.length == 1) return v.clone();
        float[] out = new float[v.length];
        if (shape.length == 2) {
            int r = (int) shape[0], c = (int) shape[1];
            for (int i = 0; i < r; i++)
                for (int j = 0; j < c; j++) out[j * r + i] = v[i * c + j];
            return out;
        }
        int a = (int) shape[0], b = (int) shape[1], c = (int) shape[2];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                for (int k = 0; k < c; k++) out[(k * b + j) * a + i] = v[(i * b + j) * c + k];
        return out;
    }
}
