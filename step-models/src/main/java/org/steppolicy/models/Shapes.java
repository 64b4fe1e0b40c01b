package org.steppolicy.models;

import java.util.Arrays;
import java.util.List;

/**
 * Static shape rules of the {@link NetBuilder} ops, with {@code -1} for the dynamic batch axis. Both renderings
 * track shapes with these so that reshapes and slices can be written without runtime shape ops.
 */
final class Shapes {

    private Shapes() {}

    static long[] conv1d(long[] x, long[] w, int stride, int padding) {
        long k = w[0];
        return new long[] {x[0], w[2], (x[2] + 2L * padding - k) / stride + 1};
    }

    static long[] convTranspose1d(long[] x, long[] w, int stride, int padding) {
        long k = w[1];
        return new long[] {x[0], w[2], (x[2] - 1) * stride - 2L * padding + k};
    }

    static long[] conv2d(long[] x, long[] w, int stride, int padding) {
        require(x.length == 4 && x[1] == w[2], "conv2d: input " + Arrays.toString(x) + " vs weight " + Arrays.toString(w));
        return new long[] {x[0], w[3], (x[2] + 2L * padding - w[0]) / stride + 1, (x[3] + 2L * padding - w[1]) / stride + 1};
    }

    static long[] pool2d(long[] x, int kernel, int stride, int padding) {
        require(x.length == 4, "pool2d takes [B, C, H, W], got " + Arrays.toString(x));
        return new long[] {x[0], x[1], (x[2] + 2L * padding - kernel) / stride + 1, (x[3] + 2L * padding - kernel) / stride + 1};
    }

    static long[] linear(long[] x, long[] w) {
        require(x.length == 2, "linear takes [N, in], got " + Arrays.toString(x));
        require(x[1] == w[0], "linear: input " + Arrays.toString(x) + " vs weight " + Arrays.toString(w));
        return new long[] {x[0], w[1]};
    }

    static long[] broadcast(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            long db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da == db) out[i] = da;
            else if (da == 1) out[i] = db;
            else if (db == 1) out[i] = da;
            else if (da == -1 || db == -1) out[i] = -1;
            else throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(a) + " with " + Arrays.toString(b));
        }
        return out;
    }

    static long[] matmul(long[] a, long[] b) {
        require(a.length == b.length && a.length >= 2, "matmul ranks " + Arrays.toString(a) + " " + Arrays.toString(b));
        int r = a.length;
        require(a[r - 1] == b[r - 2], "matmul inner dims " + Arrays.toString(a) + " " + Arrays.toString(b));
        long[] out = a.clone();
        out[r - 1] = b[r - 1];
        return out;
    }

    static long[] concat(int axis, List<long[]> parts) {
        long[] out = parts.get(0).clone();
        for (int i = 1; i < parts.size(); i++) out[axis] += parts.get(i)[axis];
        return out;
    }

    static long[] slice(long[] x, int axis, long from, long to) {
        require(0 <= from && from < to && (x[axis] < 0 || to <= x[axis]), "slice [" + from + "," + to + ") of " + Arrays.toString(x));
        long[] out = x.clone();
        out[axis] = to - from;
        return out;
    }

    static long[] reshape(long[] x, long[] shape) {
        long known = 1;
        int unknown = 0;
        for (long d : shape) {
            if (d == -1) unknown++;
            else known *= d;
        }
        require(unknown <= 1, "reshape with more than one -1: " + Arrays.toString(shape));
        long total = 1;
        boolean dynamic = false;
        for (long d : x) {
            if (d == -1) dynamic = true;
            else total *= d;
        }
        if (!dynamic) {
            require(unknown == 1 ? total % known == 0 : total == known, "reshape " + Arrays.toString(x) + " to " + Arrays.toString(shape));
            long[] out = shape.clone();
            for (int i = 0; i < out.length; i++) if (out[i] == -1) out[i] = total / known;
            return out;
        }
        else require(unknown == 1, "reshape of a batch-sized value needs -1 for the batch: " + Arrays.toString(shape));
        return shape.clone();
    }

    static long[] permute(long[] x, int[] axes) {
        require(axes.length == x.length, "permute " + Arrays.toString(axes) + " of " + Arrays.toString(x));
        long[] out = new long[x.length];
        for (int i = 0; i < axes.length; i++) out[i] = x[axes[i]];
        return out;
    }

    static long[] expandBatch(long[] x) {
        long[] out = new long[x.length + 1];
        out[0] = -1;
        System.arraycopy(x, 0, out, 1, x.length);
        return out;
    }

    static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
