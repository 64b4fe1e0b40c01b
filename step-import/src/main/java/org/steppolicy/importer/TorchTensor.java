package org.steppolicy.importer;

import java.util.Arrays;

/**
 * A tensor as a PyTorch pickle describes it ({@code torch._utils._rebuild_tensor_v2}): a view of a storage, whose
 * bytes are read only when needed (an optimizer's moments are never read).
 *
 * @param offset storage offset, in elements
 * @param stride in elements, one per dimension
 */
public record TorchTensor(Storage storage, long offset, long[] shape, long[] stride) {

    /** One storage record of the archive ({@code <prefix>/data/<key>}): a persistent id of the pickle. */
    public record Storage(String key, Dtype dtype, long numel) {}

    public long numel() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);   // a crafted shape must not wrap to a small count
        return n;
    }

    @Override
    public String toString() {
        return storage.dtype() + Arrays.toString(shape);
    }
}
