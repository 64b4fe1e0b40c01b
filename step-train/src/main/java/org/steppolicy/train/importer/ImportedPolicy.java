package org.steppolicy.train.importer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.TensorStore;
import org.steppolicy.models.UnetConfig;

/**
 * An upstream Diffusion Policy in native terms, ready to be written as a checkpoint: the U-Net's architecture and
 * weights (native names and layouts), the observation/action layout, the normaliser and the sampler.
 *
 * @param format "diffusion_policy" or "lerobot"
 * @param model the raw weights (model.tensors)
 * @param ema the EMA weights (ema.tensors), null when not imported: loaders then run {@code model}
 * @param step upstream training step (0 when unknown)
 * @param source provenance an importer adds (sections, upstream keys, upstream settings); the file and its hash are
 *               added by {@link PolicyImporter}
 */
public record ImportedPolicy(String format, String taskName, UnetConfig unet, int horizon, int nObsSteps, int nActionSteps,
                             int obsDim, int actionDim, TensorStore model, TensorStore ema, DatasetNormalizer normalizer,
                             NoiseScheduler scheduler, long step, Map<String, Object> source) {

    /** The parameters loaders evaluate: EMA when imported, else the raw ones (as Checkpoint.evalParams). */
    public TensorStore evalParams() {
        return ema != null ? ema : model;
    }

    /** meta.json "arch": the keys train-dp writes (DpTask.arch), then the sampler fields under the config's names. */
    public Map<String, Object> arch() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("net", "conditional_unet1d");
        a.put("input_dim", unet.inputDim());
        a.put("global_cond_dim", unet.globalCondDim());
        a.put("down_dims", unet.downDims());
        a.put("kernel_size", unet.kernelSize());
        a.put("n_groups", unet.nGroups());
        a.put("diffusion_step_embed_dim", unet.diffusionStepEmbedDim());
        a.put("cond_predict_scale", unet.condPredictScale());
        a.put("horizon", horizon);
        a.put("n_obs_steps", nObsSteps);
        a.put("n_action_steps", nActionSteps);
        a.put("obs_dim", obsDim);
        a.put("action_dim", actionDim);
        a.put("obs_as_global_cond", !unet.inpainting());
        a.put("num_train_timesteps", scheduler.numTrainTimesteps());
        a.put("beta_schedule", scheduler.betaSchedule());
        a.put("clip_sample", scheduler.clipSample());
        a.put("prediction_type", scheduler.predictionType());
        return a;
    }
}
