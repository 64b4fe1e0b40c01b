package org.steppolicy.importer;

import java.util.List;
import java.util.Map;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.DpArch;
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

    public ImportedPolicy {
        checkSizes(horizon, nObsSteps, nActionSteps, obsDim, actionDim, "cfg");
    }

    /**
     * The policy sizes an upstream config states, under the range checks of every config here (DpArch's): an import
     * of {@code horizon: 1000000000} is refused in one line, before anything is sized by it.
     */
    static void checkSizes(int horizon, int nObsSteps, int nActionSteps, int obsDim, int actionDim, String what) {
        try {
            new DpArch(UnetConfig.of(actionDim, 0, List.of(8), 4), horizon, nObsSteps, nActionSteps, obsDim, actionDim, 0, null, null);
        } catch (IllegalArgumentException e) {
            throw new UserError(what + ": " + e.getMessage(), e);
        }
    }

    /** The parameters loaders evaluate: EMA when imported, else the raw ones (as Checkpoint.evalParams). */
    public TensorStore evalParams() {
        return ema != null ? ema : model;
    }

    /** meta.json "arch": the keys train-dp writes, then the sampler fields under the config's names. */
    public Map<String, Object> arch() {
        return new DpArch(unet, horizon, nObsSteps, nActionSteps, obsDim, actionDim, scheduler.numTrainTimesteps(), null,
                new DpArch.Sampler(scheduler.betaSchedule(), scheduler.clipSample(), scheduler.predictionType())).toArch();
    }
}
