package org.steppolicy.sim.physics;

import java.util.Arrays;

/**
 * Chipmunk's in-place QuickHull (cpConvexHull, tolerance 0). Its output order decides the polygon's vertex indices,
 * so the port keeps the same partition and swap sequence over one shared array.
 */
final class QuickHull {
    private QuickHull() {}

    static Vec[] hull(Vec[] input) {
        int count = input.length;
        Vec[] buf = Arrays.copyOf(input, count);
        int start = 0, end = 0;
        Vec min = input[0], max = min;
        for (int i = 1; i < count; i++) {
            Vec v = input[i];
            if (v.x() < min.x() || (v.x() == min.x() && v.y() < min.y())) {
                min = v;
                start = i;
            } else if (v.x() > max.x() || (v.x() == max.x() && v.y() > max.y())) {
                max = v;
                end = i;
            }
        }
        if (start == end) return new Vec[] {buf[0]};
        swap(buf, 0, start);
        swap(buf, 1, end == 0 ? start : end);
        Vec a = buf[0], b = buf[1];
        int n = reduce(buf, 2, count - 2, a, b, a, 1) + 1;
        return Arrays.copyOf(buf, n);
    }

    private static int partition(Vec[] buf, int off, int count, Vec a, Vec b) {
        if (count == 0) return 0;
        double max = 0;
        int pivot = 0;
        Vec delta = b.sub(a);
        double valueTol = 0.0 * delta.length();
        int head = 0;
        for (int tail = count - 1; head <= tail; ) {
            double value = buf[off + head].sub(a).cross(delta);
            if (value > valueTol) {
                if (value > max) {
                    max = value;
                    pivot = head;
                }
                head++;
            } else {
                swap(buf, off + head, off + tail);
                tail--;
            }
        }
        if (pivot != 0) swap(buf, off, off + pivot);
        return head;
    }

    private static int reduce(Vec[] buf, int vOff, int count, Vec a, Vec pivot, Vec b, int rOff) {
        if (count < 0) return 0;
        if (count == 0) {
            buf[rOff] = pivot;
            return 1;
        }
        int leftCount = partition(buf, vOff, count, a, pivot);
        int index = reduce(buf, vOff + 1, leftCount - 1, a, buf[vOff], pivot, rOff);
        buf[rOff + index++] = pivot;
        int rightCount = partition(buf, vOff + leftCount, count - leftCount, pivot, b);
        return index + reduce(buf, vOff + leftCount + 1, rightCount - 1, pivot, buf[vOff + leftCount], b, rOff + index);
    }

    private static void swap(Vec[] v, int i, int j) {
        Vec t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}
