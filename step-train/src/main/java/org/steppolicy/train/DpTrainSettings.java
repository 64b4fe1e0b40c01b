package org.steppolicy.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the DP trainer needs, resolved (defaults: the Push-T CNN row of docs/reference/diffusion-policy.md §B.1). The lead's
 * config loader maps the YAML config onto this record; {@link #toYaml()} writes it back as the run's resolved config.
 */
public record DpTrainSettings(
        int horizon, int nObsSteps, int nActionSteps, boolean obsAsGlobalCond,
        List<Integer> downDims, int kernelSize, int nGroups, int diffusionStepEmbedDim, boolean condPredictScale,
        int numTrainTimesteps,
        int batchSize, long steps, double lr, double beta1, double beta2, double adamEps, double weightDecay,
        long warmupSteps, boolean useEma, EmaModel.Settings ema,
        int valEvery, int checkpointEvery, int keepLast, long seed) {

    public DpTrainSettings {
        downDims = List.copyOf(downDims);
        if (nObsSteps < 1 || nObsSteps > horizon) throw new IllegalArgumentException("n_obs_steps must be in [1, horizon]");
        if (batchSize < 1) throw new IllegalArgumentException("batch_size must be >= 1");
    }

    /** Push-T low-dim CNN as configured (global-cond; inpainting is {@code withObsAsGlobalCond(false)}). */
    public static DpTrainSettings pushT() {
        return new DpTrainSettings(16, 2, 8, true, List.of(256, 512, 1024), 5, 8, 256, true, 100,
                256, 10_000, 1e-4, 0.95, 0.999, 1e-8, 1e-6, 500, true, EmaModel.Settings.diffusionPolicy(),
                500, 1000, 3, 42);
    }

    public DpTrainSettings withObsAsGlobalCond(boolean v) {
        return new DpTrainSettings(horizon, nObsSteps, nActionSteps, v, downDims, kernelSize, nGroups, diffusionStepEmbedDim,
                condPredictScale, numTrainTimesteps, batchSize, steps, lr, beta1, beta2, adamEps, weightDecay, warmupSteps,
                useEma, ema, valEvery, checkpointEvery, keepLast, seed);
    }

    public DpTrainSettings withNet(List<Integer> dims, int stepEmbed) {
        return new DpTrainSettings(horizon, nObsSteps, nActionSteps, obsAsGlobalCond, dims, kernelSize, nGroups, stepEmbed,
                condPredictScale, numTrainTimesteps, batchSize, steps, lr, beta1, beta2, adamEps, weightDecay, warmupSteps,
                useEma, ema, valEvery, checkpointEvery, keepLast, seed);
    }

    public DpTrainSettings withSchedule(int batch, long totalSteps, long warmup, int valEveryN, int checkpointEveryN) {
        return new DpTrainSettings(horizon, nObsSteps, nActionSteps, obsAsGlobalCond, downDims, kernelSize, nGroups,
                diffusionStepEmbedDim, condPredictScale, numTrainTimesteps, batch, totalSteps, lr, beta1, beta2, adamEps,
                weightDecay, warmup, useEma, ema, valEveryN, checkpointEveryN, keepLast, seed);
    }

    public DpTrainSettings withHorizon(int h) {
        return new DpTrainSettings(h, nObsSteps, nActionSteps, obsAsGlobalCond, downDims, kernelSize, nGroups,
                diffusionStepEmbedDim, condPredictScale, numTrainTimesteps, batchSize, steps, lr, beta1, beta2, adamEps,
                weightDecay, warmupSteps, useEma, ema, valEvery, checkpointEvery, keepLast, seed);
    }

    public Trainer.Settings trainerSettings() {
        return new Trainer.Settings(steps, warmupSteps, lr, new AdamW.Settings(beta1, beta2, adamEps, weightDecay),
                useEma ? ema : null, valEvery, checkpointEvery, keepLast, seed);
    }

    public String toYaml() {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("horizon", horizon);
        policy.put("n_obs_steps", nObsSteps);
        policy.put("n_action_steps", nActionSteps);
        policy.put("obs_as_global_cond", obsAsGlobalCond);
        policy.put("down_dims", downDims);
        policy.put("kernel_size", kernelSize);
        policy.put("n_groups", nGroups);
        policy.put("diffusion_step_embed_dim", diffusionStepEmbedDim);
        policy.put("cond_predict_scale", condPredictScale);
        policy.put("num_train_timesteps", numTrainTimesteps);
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("batch_size", batchSize);
        train.put("steps", steps);
        train.put("lr", lr);
        train.put("betas", List.of(beta1, beta2));
        train.put("eps", adamEps);
        train.put("weight_decay", weightDecay);
        train.put("lr_warmup_steps", warmupSteps);
        train.put("use_ema", useEma);
        train.put("ema", Map.of("power", ema.power(), "inv_gamma", ema.invGamma(), "min_value", ema.minDecay(),
                "max_value", ema.maxDecay(), "update_after_step", ema.updateAfterStep()));
        train.put("val_every", valEvery);
        train.put("checkpoint_every", checkpointEvery);
        train.put("keep_last", keepLast);
        train.put("seed", seed);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("policy", policy);
        root.put("training", train);
        return Yaml.write(root);
    }

    /** Shared YAML writer for resolved settings. */
    static final class Yaml {
        private static final ObjectMapper MAPPER = new ObjectMapper(
                new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

        private Yaml() {}

        static String write(Map<String, Object> root) {
            try {
                return MAPPER.writeValueAsString(root);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
