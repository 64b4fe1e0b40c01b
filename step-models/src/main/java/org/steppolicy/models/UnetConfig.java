package org.steppolicy.models;

import java.util.List;

/**
 * Architecture of {@link ConditionalUnet1d} (docs/reference/diffusion-policy.md §A.1). {@code globalCondDim == 0} selects the
 * inpainting mode: no {@code global_cond} input, observations ride inside the sample ({@code inputDim = Da + Do}).
 */
public record UnetConfig(int inputDim, int globalCondDim, List<Integer> downDims, int kernelSize, int nGroups,
                         int diffusionStepEmbedDim, boolean condPredictScale) {

    /** The values every DP low-dim config uses (§A.1 "Class defaults vs config values"). */
    public static final List<Integer> DEFAULT_DOWN_DIMS = List.of(256, 512, 1024);
    public static final int DEFAULT_KERNEL = 5;
    public static final int DEFAULT_GROUPS = 8;
    public static final int DEFAULT_STEP_EMBED = 256;

    public UnetConfig {
        downDims = List.copyOf(downDims);
        if (inputDim <= 0) throw new IllegalArgumentException("inputDim must be positive: " + inputDim);
        if (globalCondDim < 0) throw new IllegalArgumentException("globalCondDim must be >= 0: " + globalCondDim);
        if (downDims.isEmpty()) throw new IllegalArgumentException("downDims is empty");
        if (kernelSize % 2 != 1) throw new IllegalArgumentException("kernelSize must be odd: " + kernelSize);
        if (diffusionStepEmbedDim < 4 || diffusionStepEmbedDim % 2 != 0) {
            throw new IllegalArgumentException("diffusionStepEmbedDim must be even and >= 4: " + diffusionStepEmbedDim);
        }
        for (int d : downDims) {
            if (d % nGroups != 0) throw new IllegalArgumentException("down dim " + d + " not divisible by nGroups " + nGroups);
        }
    }

    /** Push-T style: kernel 5, 8 groups, FiLM scale+bias, the given dims and step-embedding size. */
    public static UnetConfig of(int inputDim, int globalCondDim, List<Integer> downDims, int stepEmbedDim) {
        return new UnetConfig(inputDim, globalCondDim, downDims, DEFAULT_KERNEL, DEFAULT_GROUPS, stepEmbedDim, true);
    }

    public boolean inpainting() {
        return globalCondDim == 0;
    }
}
