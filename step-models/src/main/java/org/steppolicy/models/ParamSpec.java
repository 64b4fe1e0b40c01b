package org.steppolicy.models;

import java.util.Arrays;

/**
 * Shape and initialisation rule of one trainable tensor, as a network declares it.
 *
 * <p>Layouts are the "matmul layout" shared by SameDiff, the .npy fixtures and checkpoints (PyTorch's own layout
 * differs; see {@link NetBuilder}): Linear and attention projection weights {@code [in, out]}, Conv1d
 * {@code [k, in, out]}, ConvTranspose1d {@code [1, k, out, in]}, vectors as they are.
 */
public record ParamSpec(long[] shape, Init init) {

    /** How a tensor starts. PyTorch defaults: kaiming_uniform(a=sqrt 5) gives U(-1/sqrt(fan_in), +1/sqrt(fan_in)). */
    public sealed interface Init permits Uniform, Normal, Constant {}

    /** U(-bound, bound). */
    public record Uniform(double bound) implements Init {}

    /** N(0, std^2). */
    public record Normal(double std) implements Init {}

    /** Every element the same value (norm gains 1, norm biases 0, attention biases 0). */
    public record Constant(double value) implements Init {}

    public ParamSpec {
        shape = shape.clone();
        for (long d : shape) {
            if (d <= 0) throw new IllegalArgumentException("bad parameter shape " + Arrays.toString(shape));
        }
    }

    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return "ParamSpec" + Arrays.toString(shape) + " " + init;
    }
}
