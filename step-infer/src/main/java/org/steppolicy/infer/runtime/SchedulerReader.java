package org.steppolicy.infer.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import org.steppolicy.config.PolicyConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.NoiseSchedule;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.models.BetaSchedule;
import org.steppolicy.models.Checkpoint;

/**
 * The noise scheduler a DP was trained with, read from where it is written: a checkpoint (meta.json's arch and the
 * resolved config.yaml's {@code policy} section, docs/checkpoint-format.md), an export's policy.json, or a config.
 * Keys a file lacks take Diffusion Policy's values (§B.3), which is what every older file was trained with. An
 * unsupported schedule or prediction type is a {@link UserError} naming the file.
 */
final class SchedulerReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SchedulerReader() {}

    static SchedulerConfig fromCheckpoint(Checkpoint c) {
        JsonNode policy;
        try {
            JsonNode root = c.configYaml().isBlank() ? MissingNode.getInstance() : YAML.readTree(c.configYaml());
            policy = root == null ? MissingNode.getInstance() : root.path("policy");
        } catch (IOException e) {
            throw new UserError(c.dir() + ": cannot read " + Checkpoint.CONFIG + ": " + e.getMessage(), e);
        }
        // The step count the trainer recorded in meta.json wins; config.yaml is the fallback for older checkpoints.
        Object arch = c.arch().get("num_train_timesteps");
        int steps = arch instanceof Number n ? n.intValue() : policy.path("num_train_timesteps").asInt(NoiseSchedule.DP_STEPS);
        return of(policy, steps, policy.path("prediction_type"), c.dir() + ": " + Checkpoint.CONFIG);
    }

    /** policy.json of an export: the "schedule" object and the DP's "prediction_type". */
    static SchedulerConfig fromSidecar(JsonNode root, String what) {
        JsonNode s = root.path("schedule");
        if (!s.isObject()) throw new UserError(what + ": no \"schedule\" object");
        SchedulerConfig sc = of(s, s.path("num_train_timesteps").asInt(NoiseSchedule.DP_STEPS), root.path("dp").path("prediction_type"), what);
        JsonNode table = s.path("alphas_cumprod");
        if (table.isArray()) checkTable(sc, table, what);
        return sc;
    }

    static SchedulerConfig fromConfig(PolicyConfig p) {
        try {
            return SchedulerConfig.of(p.betaSchedule(), p.numTrainTimesteps(), BetaSchedule.DEFAULT_BETA_START,
                    BetaSchedule.DEFAULT_BETA_END, p.clipSample(), p.predictionType());
        } catch (IllegalArgumentException e) {
            throw new UserError("policy: " + e.getMessage(), e);
        }
    }

    private static SchedulerConfig of(JsonNode n, int steps, JsonNode prediction, String what) {
        try {
            return SchedulerConfig.of(n.path("beta_schedule").asText(BetaSchedule.SQUAREDCOS_CAP_V2.id()), steps,
                    n.path("beta_start").asDouble(BetaSchedule.DEFAULT_BETA_START),
                    n.path("beta_end").asDouble(BetaSchedule.DEFAULT_BETA_END),
                    n.path("clip_sample").asBoolean(true), prediction.asText("epsilon"));
        } catch (IllegalArgumentException e) {
            throw new UserError(what + ": " + e.getMessage(), e);
        }
    }

    /** A file's ᾱ table must be the one its named schedule gives here, or the solvers would step on another chain. */
    private static void checkTable(SchedulerConfig sc, JsonNode table, String what) {
        NoiseSchedule ns = sc.noiseSchedule();
        if (table.size() != ns.steps())
            throw new UserError(what + ": alphas_cumprod has " + table.size() + " values, num_train_timesteps is " + ns.steps());
        for (int t = 0; t < ns.steps(); t++) {
            double want = ns.alphaCumprod(t), got = table.get(t).asDouble();
            if (Math.abs(got - want) > 1e-6 * Math.max(want, 1e-6))
                throw new UserError(what + ": alphas_cumprod[" + t + "] is " + got + ", but " + sc.betaSchedule().id()
                        + " gives " + want + " (a schedule this runtime does not compute)");
        }
    }
}
