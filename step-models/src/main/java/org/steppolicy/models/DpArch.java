package org.steppolicy.models;

import org.steppolicy.config.SizeLimits;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DP checkpoint's meta.json "arch" (docs/checkpoint-format.md): the U-Net and the policy's shape around it. Training,
 * import and loading all go through this record, so each key is spelled once (here and in {@link UnetConfig}).
 *
 * @param obsDim            one observation step as the policy receives it (for an image DP: low-dim + pixels)
 * @param numTrainTimesteps the schedule length trained with; 0 when not recorded (older checkpoints: config.yaml says)
 * @param image             the image observation layout, null for a low-dim DP
 * @param sampler           the sampler an import recorded beside the arch, null for a DP trained here
 */
public record DpArch(UnetConfig unet, int horizon, int nObsSteps, int nActionSteps, int obsDim, int actionDim,
                     int numTrainTimesteps, ImageObsSpec image, Sampler sampler) {

    public DpArch {
        // The policy's sizes, as a config's: a checkpoint's meta.json or an imported cfg must not ask for more.
        if (horizon < 1 || nObsSteps < 1 || nActionSteps < 1 || obsDim < 1 || actionDim < 1 || numTrainTimesteps < 0)
            throw new IllegalArgumentException("arch sizes must be positive: horizon " + horizon + ", n_obs_steps " + nObsSteps
                    + ", n_action_steps " + nActionSteps + ", obs_dim " + obsDim + ", action_dim " + actionDim);
        if (horizon > SizeLimits.MAX_STEPS || nObsSteps > SizeLimits.MAX_STEPS || nActionSteps > SizeLimits.MAX_STEPS
                || obsDim > SizeLimits.MAX_DIM || actionDim > SizeLimits.MAX_DIM || numTrainTimesteps > SizeLimits.MAX_TIMESTEPS
                || (long) horizon * actionDim > SizeLimits.MAX_VALUES || (long) nObsSteps * obsDim > SizeLimits.MAX_VALUES)
            throw new IllegalArgumentException("arch sizes beyond what STEP runs (at most " + SizeLimits.MAX_STEPS + " steps, dims of "
                    + SizeLimits.MAX_DIM + "): horizon " + horizon + ", n_obs_steps " + nObsSteps + ", n_action_steps " + nActionSteps
                    + ", obs_dim " + obsDim + ", action_dim " + actionDim + ", num_train_timesteps " + numTrainTimesteps);
    }

    /** The upstream sampler settings an importer keeps beside the arch, under the config's names. */
    public record Sampler(String betaSchedule, boolean clipSample, String predictionType) {}

    public boolean obsAsGlobalCond() { return !unet.inpainting(); }

    public Map<String, Object> toArch() {
        Map<String, Object> a = new LinkedHashMap<>(unet.toArch());
        a.put("horizon", horizon);
        a.put("n_obs_steps", nObsSteps);
        a.put("n_action_steps", nActionSteps);
        a.put("obs_dim", obsDim);
        a.put("action_dim", actionDim);
        a.put("obs_as_global_cond", obsAsGlobalCond());
        if (numTrainTimesteps > 0) a.put("num_train_timesteps", numTrainTimesteps);
        if (image != null) a.put("image", image.toArch());
        if (sampler != null) a.putAll(RecordFields.of(sampler));
        return a;
    }

    /** Reads an arch map; a missing key is an IllegalArgumentException naming it. */
    public static DpArch fromArch(Map<String, Object> a) {
        Object steps = a.get("num_train_timesteps");
        Sampler sampler = a.get("beta_schedule") instanceof String b
                ? new Sampler(b, Boolean.TRUE.equals(a.get("clip_sample")), String.valueOf(a.get("prediction_type"))) : null;
        return new DpArch(UnetConfig.fromArch(a), ArchMap.integer(a, "horizon"), ArchMap.integer(a, "n_obs_steps"),
                ArchMap.integer(a, "n_action_steps"), ArchMap.integer(a, "obs_dim"), ArchMap.integer(a, "action_dim"),
                steps instanceof Number n ? n.intValue() : 0, ImageObsSpec.fromArch(a.get("image")), sampler);
    }
}
