package org.steppolicy.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.steppolicy.models.RecordFields;

/**
 * The sampler settings an upstream policy was trained and evaluated with (diffusers' DDPMScheduler/DDIMScheduler
 * arguments plus the inference step count). Recorded in the imported checkpoint whether or not the runtime honours
 * each field yet.
 *
 * @param type DDPM or DDIM (the scheduler class upstream evaluates with)
 * @param numInferenceSteps null: as many as training steps
 */
public record NoiseScheduler(String type, int numTrainTimesteps, String betaSchedule, double betaStart, double betaEnd,
                             boolean clipSample, double clipSampleRange, String predictionType, String varianceType,
                             Integer numInferenceSteps) {

    /** What the native trainer and runtime use (defaults.yaml policy.*): everything else is recorded, not yet run. */
    public static final String NATIVE_BETA_SCHEDULE = "squaredcos_cap_v2", NATIVE_PREDICTION = "epsilon";

    /** Fields that differ from what STEP samples with today, one line each (empty: the runtime matches exactly). */
    public List<String> differencesFromRuntime() {
        List<String> out = new ArrayList<>();
        if (!NATIVE_BETA_SCHEDULE.equals(betaSchedule)) out.add("beta_schedule " + betaSchedule + " (STEP samples with " + NATIVE_BETA_SCHEDULE + ")");
        if (!NATIVE_PREDICTION.equals(predictionType)) out.add("prediction_type " + predictionType + " (STEP predicts epsilon)");
        if (!clipSample) out.add("clip_sample false (STEP clips the clean estimate to [-1, 1] unless inference.clip_sample=false)");
        else if (clipSampleRange != 1.0) out.add("clip_sample_range " + clipSampleRange + " (STEP clips to [-1, 1])");
        return out;
    }

    /** The meta.json record ("scheduler"), upstream's names. */
    public Map<String, Object> toMap() {
        return RecordFields.of(this);
    }
}
