package org.steppolicy.models;

import org.steppolicy.config.SizeLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.steppolicy.config.PolicyConfig;

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
        // Bounded above as well: these come from files (meta.json, an imported cfg) and size every layer allocated.
        if (inputDim > SizeLimits.MAX_DIM || globalCondDim > SizeLimits.MAX_VALUES)
            throw new IllegalArgumentException("inputDim " + inputDim + " or globalCondDim " + globalCondDim + " beyond what STEP runs");
        if (downDims.size() > SizeLimits.MAX_LEVELS) throw new IllegalArgumentException("downDims has " + downDims.size() + " levels");
        if (kernelSize < 1 || kernelSize > 63) throw new IllegalArgumentException("kernelSize must be in [1, 63]: " + kernelSize);
        if (nGroups < 1 || diffusionStepEmbedDim > SizeLimits.MAX_CHANNELS)
            throw new IllegalArgumentException("nGroups must be >= 1 and diffusionStepEmbedDim <= " + SizeLimits.MAX_CHANNELS + ": "
                    + nGroups + ", " + diffusionStepEmbedDim);
        for (int d : downDims) {
            if (d < 1 || d > SizeLimits.MAX_CHANNELS) throw new IllegalArgumentException("down dim " + d + " is not in [1, " + SizeLimits.MAX_CHANNELS + "]");
            if (d % nGroups != 0) throw new IllegalArgumentException("down dim " + d + " not divisible by nGroups " + nGroups);
        }
    }

    /** Push-T style: kernel 5, 8 groups, FiLM scale+bias, the given dims and step-embedding size. */
    public static UnetConfig of(int inputDim, int globalCondDim, List<Integer> downDims, int stepEmbedDim) {
        return new UnetConfig(inputDim, globalCondDim, downDims, DEFAULT_KERNEL, DEFAULT_GROUPS, stepEmbedDim, true);
    }

    /**
     * The U-Net a policy config describes for a task: global conditioning on the last To observation steps
     * (condStepDim values each: obsDim for low-dim, the encoder's per-step output for images), or inpainting with the
     * observations inside the sample. The one place these dims are derived (training and random-weight loading).
     */
    public static UnetConfig forPolicy(PolicyConfig p, int obsDim, int actionDim, int nObsSteps, int condStepDim) {
        boolean global = p.obsAsGlobalCond();
        return new UnetConfig(global ? actionDim : actionDim + obsDim, global ? nObsSteps * condStepDim : 0, p.downDims(),
                p.kernelSize(), p.nGroups(), p.diffusionStepEmbedDim(), p.condPredictScale());
    }

    /** The U-Net's part of meta.json "arch" (docs/checkpoint-format.md); {@link #fromArch} reads it back. */
    public Map<String, Object> toArch() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("net", "conditional_unet1d");
        a.putAll(RecordFields.of(this));
        return a;
    }

    /** The U-Net of an arch map written by {@link #toArch}; a missing key is an IllegalArgumentException naming it. */
    public static UnetConfig fromArch(Map<String, Object> a) {
        return new UnetConfig(ArchMap.integer(a, "input_dim"), ArchMap.integer(a, "global_cond_dim"),
                ArchMap.integers(a, "down_dims"), ArchMap.integer(a, "kernel_size"), ArchMap.integer(a, "n_groups"),
                ArchMap.integer(a, "diffusion_step_embed_dim"), Boolean.TRUE.equals(a.get("cond_predict_scale")));
    }

    public boolean inpainting() {
        return globalCondDim == 0;
    }
}
