package org.steppolicy.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.train.CheckpointWriter;

/**
 * {@code step import}: a PyTorch Diffusion Policy (a diffusion_policy workspace {@code .ckpt}, or a LeRobot
 * {@code pretrained_model} folder) to a native checkpoint folder that every loader takes like one trained here.
 * Everything is read and checked first; the folder is written last, atomically, so a refused input leaves nothing.
 *
 * <pre>{@code
 * ImportResult r = PolicyImporter.importPolicy(Path.of("latest.ckpt"), Path.of("runs/imported-dp"), null);
 * }</pre>
 */
public final class PolicyImporter {

    /** Which weights to run: the EMA copy (diffusion_policy evaluates and publishes it) or the raw model. */
    public enum Weights {
        EMA, MODEL;

        public static Weights parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "ema" -> EMA;
                case "model" -> MODEL;
                default -> throw new UserError("--weights must be ema or model, got '" + s + "'");
            };
        }
    }

    public static final String FORMAT_DP = "diffusion_policy", FORMAT_LEROBOT = "lerobot";

    /** What was written. {@code notes}: sampler fields recorded but not yet honoured by the runtime. */
    public record ImportResult(Path out, String format, String weights, String sha256, ImportedPolicy policy, List<String> notes) {}

    private PolicyImporter() {}

    /**
     * Imports {@code source} into the new folder {@code out}.
     *
     * @param weights null: the format's default (EMA for diffusion_policy, the only set for LeRobot)
     * @throws UserError "SOURCE: problem" for anything wrong with the input; nothing is written then
     */
    public static ImportResult importPolicy(Path source, Path out, Weights weights) {
        requireFreshOutput(out);
        ImportedPolicy p;
        String sha;
        try {
            if (Files.isDirectory(source)) {
                Path folder = LeRobotImporter.locate(source);
                p = LeRobotImporter.read(folder, weights);
                sha = sha256(folder.resolve(LeRobotImporter.WEIGHTS));
            } else if (Files.isRegularFile(source)) {
                if (source.getFileName().toString().endsWith(".safetensors") || source.getFileName().toString().equals("config.json")) {
                    p = LeRobotImporter.read(LeRobotImporter.locate(source.toAbsolutePath().getParent()), weights);
                    sha = sha256(source.toAbsolutePath().getParent().resolve(LeRobotImporter.WEIGHTS));
                } else {
                    p = DiffusionPolicyImporter.read(source, weights);
                    sha = sha256(source);
                }
            } else {
                throw new UserError(org.steppolicy.run.FileErrors.whyNotAFile(source));
            }
        } catch (UserError e) {
            throw new UserError(source + ": " + e.getMessage(), e);
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("file", source.toAbsolutePath().normalize().toString());
        provenance.put("sha256", sha);
        provenance.put("format", p.format());
        provenance.putAll(p.source());
        provenance.put("scheduler", p.scheduler().toMap());
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.KIND_DP, p.step(), Double.NaN, p.arch(), provenance);
        CheckpointWriter.writeFolder(out, new CheckpointWriter.Contents(meta, p.model(), p.ema(), null,
                p.normalizer().toJson(), configYaml(p, source)));
        return new ImportResult(out, p.format(), String.valueOf(p.source().get("weights")), sha, p, p.scheduler().differencesFromRuntime());
    }

    /** The resolved config a train-dp run of this policy would have written (defaults.yaml keys only). */
    static String configYaml(ImportedPolicy p, Path source) {
        List<String> o = new ArrayList<>();
        o.add("task.name=" + p.taskName());
        o.add("task.obs_dim=" + p.obsDim());
        o.add("task.action_dim=" + p.actionDim());
        o.add("task.horizon=" + p.horizon());
        o.add("task.n_obs_steps=" + p.nObsSteps());
        o.add("task.n_action_steps=" + p.nActionSteps());
        if (!p.taskName().startsWith("pusht")) o.add("task.env=none");
        String obsMode = p.normalizer().obs().mode(), actMode = p.normalizer().action().mode();
        if (LinearNormalizer.MODES.contains(obsMode)) o.add("task.obs_normalizer=" + obsMode);
        if (LinearNormalizer.MODES.contains(actMode)) o.add("task.action_normalizer=" + actMode);
        var u = p.unet();
        o.add("policy.obs_as_global_cond=" + !u.inpainting());
        o.add("policy.down_dims=" + u.downDims());
        o.add("policy.kernel_size=" + u.kernelSize());
        o.add("policy.n_groups=" + u.nGroups());
        o.add("policy.diffusion_step_embed_dim=" + u.diffusionStepEmbedDim());
        o.add("policy.cond_predict_scale=" + u.condPredictScale());
        NoiseScheduler s = p.scheduler();
        o.add("policy.num_train_timesteps=" + s.numTrainTimesteps());
        o.add("policy.beta_schedule=" + s.betaSchedule());
        o.add("policy.clip_sample=" + s.clipSample());
        o.add("policy.prediction_type=" + s.predictionType());
        o.add("inference.clip_sample=" + s.clipSample());
        StepConfig c = ConfigLoader.defaults(o);
        c = new StepConfig(c.task(), c.policy(), c.training(), c.predictor(), c.predictorTraining(), c.bridger(), c.bridgerTraining(),
                c.inference(), c.eval(),
                new StepConfig.Provenance("imported from " + source.toAbsolutePath().normalize(), o), c.tree());
        return c.toYaml();
    }

    private static void requireFreshOutput(Path out) {
        if (!Files.exists(out)) return;
        if (!Files.isDirectory(out)) throw new UserError(out + ": --out exists and is not a directory");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(out)) {
            if (ds.iterator().hasNext()) throw new UserError(out + ": --out exists and is not empty; choose a new folder");
        } catch (IOException e) {
            throw new UserError(out + ": cannot read --out: " + e.getMessage());
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
