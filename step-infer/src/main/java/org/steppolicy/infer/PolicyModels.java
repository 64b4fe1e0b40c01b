package org.steppolicy.infer;

import org.steppolicy.data.DatasetNormalizer;

/**
 * The trained pieces one runner drives: the DP's denoiser with its normaliser and the noise scheduler it was trained
 * with and, for the predictor methods, a predictor with the normaliser it was trained with (must equal the DP's).
 * Runtimes reuse buffers, so give every runner (every environment thread) its own denoiser and predictor instances
 * unless they are thread-safe.
 */
public record PolicyModels(PolicyShape shape, Denoiser denoiser, DatasetNormalizer normalization,
                           ChunkPredictor predictor, DatasetNormalizer predictorNormalization, SchedulerConfig scheduler,
                           BridgerModel bridger) {

    /** Models without a BRIDGeR policy. */
    public PolicyModels(PolicyShape shape, Denoiser denoiser, DatasetNormalizer normalization, ChunkPredictor predictor,
                        DatasetNormalizer predictorNormalization, SchedulerConfig scheduler) {
        this(shape, denoiser, normalization, predictor, predictorNormalization, scheduler, null);
    }

    /** These models with a BRIDGeR policy beside them (bridger:K). */
    public PolicyModels withBridger(BridgerModel b) {
        return new PolicyModels(shape, denoiser, normalization, predictor, predictorNormalization, scheduler, b);
    }

    /** Models not read from a checkpoint (tests, fakes): Diffusion Policy's scheduler. */
    public PolicyModels(PolicyShape shape, Denoiser denoiser, DatasetNormalizer normalization, ChunkPredictor predictor,
                        DatasetNormalizer predictorNormalization) {
        this(shape, denoiser, normalization, predictor, predictorNormalization, SchedulerConfig.diffusionPolicy());
    }

    public static PolicyModels withoutPredictor(PolicyShape shape, Denoiser denoiser, DatasetNormalizer normalization) {
        return new PolicyModels(shape, denoiser, normalization, null, null);
    }

    /** True for inpainting DPs (no global condition; the trajectory carries obs channels). */
    public boolean inpainting() { return denoiser.condDim() == 0; }

    /** Closes the runtime instances (the denoiser, and the predictor and BRIDGeR networks when there are). */
    public void close() {
        denoiser.close();
        if (predictor != null) predictor.close();
        if (bridger != null) bridger.close();
    }
}
