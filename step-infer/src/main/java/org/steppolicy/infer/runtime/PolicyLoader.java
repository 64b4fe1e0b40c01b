package org.steppolicy.infer.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.DpArch;
import org.steppolicy.models.ImageDiffusionPolicy;
import org.steppolicy.models.ImageObsEncoder;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.ImageSpecs;
import org.steppolicy.models.TensorStore;
import org.steppolicy.models.UnetConfig;

/**
 * Builds runnable {@link PolicyModels} from checkpoints (DP + optional predictor) or, before training ends, from a
 * config with random weights; the runtime is chosen last. The noise scheduler comes from the checkpoint (or config),
 * so the solvers sample on the schedule the DP was trained with.
 *
 * <pre>{@code
 * PolicyBundle b = PolicyLoader.fromCheckpoints(Path.of("runs/dp"), Path.of("runs/pred"));
 * PolicyModels m = PolicyLoader.models(b, RuntimeKind.ONNX, 1);   // one per environment thread
 * }</pre>
 */
public final class PolicyLoader {

    private PolicyLoader() {}

    /** Reads a DP checkpoint (directory or run directory: its latest) and optionally a predictor checkpoint. */
    public static PolicyBundle fromCheckpoints(Path dpDir, Path predictorDir) {
        Checkpoint dp = load(dpDir, Checkpoint.KIND_DP);
        DpArch a = dp.dpArch();
        PolicyShape shape = new PolicyShape(a.nObsSteps(), a.nActionSteps(), a.horizon(), a.obsDim(), a.actionDim());
        ConditionalUnet1d net = new ConditionalUnet1d(a.unet(), shape.horizon());
        DatasetNormalizer norm = NormalizerJson.parse(dp.normalizerJson(), dp.dir().resolve(Checkpoint.NORMALIZER).toString());
        ImageObsSpec image = a.image();
        ImageObsEncoder encoder = image == null ? null : new ImageObsEncoder(image, shape.obsSteps());
        if (image != null) norm = withPixels(norm, image);
        PolicyBundle bundle = new PolicyBundle(shape, net, dp.evalParams(), norm, SchedulerReader.fromCheckpoint(dp), null, encoder);
        return predictorDir == null ? bundle : bundle.withPredictor(PredictorLoader.fromCheckpoint(load(predictorDir, Checkpoint.KIND_PREDICTOR)));
    }

    /** Reads a predictor checkpoint (directory or run directory) on its own. */
    public static PredictorBundle predictorFromCheckpoint(Path predictorDir) {
        return PredictorLoader.fromCheckpoint(load(predictorDir, Checkpoint.KIND_PREDICTOR));
    }

    /**
     * The configured architecture with seeded PyTorch-default weights and identity normalisers: latency figures
     * and export checks before a checkpoint exists.
     */
    public static PolicyBundle randomWeights(StepConfig c, long seed, boolean withPredictor) {
        var t = c.task();
        var p = c.policy();
        ImageObsSpec image = ImageSpecs.dp(c);
        PolicyShape shape = new PolicyShape(t.nObsSteps(), t.nActionSteps(), t.horizon(), ImageSpecs.stepDim(c), t.actionDim());
        boolean global = p.obsAsGlobalCond();
        if (image != null && !global) throw new UserError("image policies need policy.obs_as_global_cond: true");
        ImageObsEncoder encoder = image == null ? null : new ImageObsEncoder(image, t.nObsSteps());
        UnetConfig cfg = image == null ? UnetConfig.forPolicy(p, t.obsDim(), t.actionDim(), t.nObsSteps(), t.obsDim())
                : UnetConfig.forPolicy(p, shape.obsDim(), t.actionDim(), t.nObsSteps(), image.encodedStepDim());
        ConditionalUnet1d net = new ConditionalUnet1d(cfg, t.horizon());
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.identity(shape.obsDim()), LinearNormalizer.identity(t.actionDim()));
        TensorStore params = encoder == null ? net.initParams(seed) : new ImageDiffusionPolicy(encoder, net).initParams(seed);
        PolicyBundle bundle = new PolicyBundle(shape, net, params, norm, SchedulerReader.fromConfig(p), null, encoder);
        return withPredictor ? bundle.withPredictor(PredictorLoader.randomWeights(c, seed + 1, norm)) : bundle;
    }

    /**
     * The config's BRIDGeR networks (bridger section, policy.* U-Net sizes, as train-bridger builds them) with seeded
     * random weights and the given normaliser: bridger:K latency figures (bench, serve --random-weights) before a
     * train-bridger checkpoint exists. Low-dim policies only.
     */
    public static BridgerBundle randomBridger(StepConfig c, long seed, DatasetNormalizer norm) {
        var t = c.task();
        if (ImageSpecs.dp(c) != null) throw new UserError("bridger:K: BRIDGeR is low-dim only (the config has task.image_key)");
        if (!c.policy().obsAsGlobalCond()) throw new UserError("bridger:K needs policy.obs_as_global_cond: true");
        UnetConfig unet = UnetConfig.forPolicy(c.policy(), t.obsDim(), t.actionDim(), t.nObsSteps(), t.obsDim());
        org.steppolicy.models.DpArch policy = new org.steppolicy.models.DpArch(unet, t.horizon(), t.nObsSteps(), t.nActionSteps(),
                t.obsDim(), t.actionDim(), 0, null, null);
        var b = c.bridger();
        var cvae = b.cvaeSource() ? new org.steppolicy.models.CvaeArch(b.cvaeLatentDim(), b.cvaeHidden(), t.horizon(), t.actionDim(),
                t.nObsSteps() * t.obsDim()) : null;
        var arch = new org.steppolicy.models.BridgerArch(policy, b.source(), new org.steppolicy.models.StochasticInterpolant(
                org.steppolicy.models.StochasticInterpolant.Shape.parse(b.interpolant()), b.noiseScale()), cvae);
        return new BridgerBundle(arch, arch.net().initParams(seed), norm, cvae == null ? null : cvae.decoder().initParams(seed + 1));
    }

    /** The bundle's networks on one runtime; every call builds fresh instances (one per environment thread). */
    public static PolicyModels models(PolicyBundle b, RuntimeKind runtime, int threads) {
        Denoiser dp = denoiser(b, runtime, threads);
        PredictorBundle p = b.predictor();
        PolicyModels m = p == null ? new PolicyModels(b.shape(), dp, b.normalization(), null, null, b.scheduler())
                : new PolicyModels(b.shape(), dp, b.normalization(), predictor(p, runtime, threads), p.normalization(), b.scheduler());
        return b.bridger() == null ? m : m.withBridger(b.bridger().open(runtime, threads));
    }

    /**
     * The DP with the models beside it: each of {@code others} is a predictor checkpoint or a BRIDGeR one (told apart by
     * its meta.json kind); returns the DP bundle (with BRIDGeR when given) and the predictors.
     */
    public static WithOthers withOthers(Path dpDir, java.util.List<Path> others) {
        PolicyBundle dp = fromCheckpoints(dpDir, null);
        java.util.List<PredictorBundle> preds = new java.util.ArrayList<>();
        for (Path p : others) {
            if (BridgerBundle.isBridger(p)) {
                if (dp.bridger() != null) throw new UserError("two BRIDGeR checkpoints given; pass one");
                dp = dp.withBridger(BridgerBundle.fromCheckpoint(p));
            } else preds.add(predictorFromCheckpoint(p));
        }
        return new WithOthers(dp, preds);
    }

    /** A DP bundle and the predictor bundles read beside it. */
    public record WithOthers(PolicyBundle dp, java.util.List<PredictorBundle> predictors) {}

    public static Denoiser denoiser(PolicyBundle b, RuntimeKind runtime, int threads) {
        Denoiser unet = switch (runtime) {
            case ONNX -> OnnxDenoiser.of(b.dp(), b.dpParams(), threads);
            case SAMEDIFF -> new SameDiffDenoiser(b.dp(), b.dpParams());
        };
        if (!b.hasImages()) return unet;
        ImageObsEncoder e = b.encoder();
        CompiledNet encoder = switch (runtime) {
            case ONNX -> new OrtModel(org.steppolicy.models.OnnxBuilder.export(e, b.dpParams(), "obs_encoder").toByteArray(), e.inputNames(), e.outputName(), threads);
            case SAMEDIFF -> new SameDiffModel(e, b.dpParams(), e.inputNames(), e.outputName(), SameDiffModel.DEFAULT_CLEAR_EVERY);
        };
        return new EncodedDenoiser(encoder, unet);
    }

    /**
     * An image policy's observation normaliser: the checkpoint's (low-dim keys) followed by the identity on the
     * pixels, which arrive already in [0, 1] (Diffusion Policy does not normalise images further).
     */
    static DatasetNormalizer withPixels(DatasetNormalizer n, ImageObsSpec spec) {
        LinearNormalizer low = n.obs();
        if (low.dim() != spec.lowDim())
            throw new UserError("image policy normaliser has " + low.dim() + " obs dims, the checkpoint's layout " + spec.lowDim());
        float[] scale = new float[spec.stepDim()], offset = new float[spec.stepDim()];
        java.util.Arrays.fill(scale, 1f);
        System.arraycopy(low.scale(), 0, scale, 0, low.dim());
        System.arraycopy(low.offset(), 0, offset, 0, low.dim());
        return new DatasetNormalizer(LinearNormalizer.affine(scale, offset), n.action());
    }

    public static ChunkPredictor predictor(PredictorBundle p, RuntimeKind runtime, int threads) {
        return switch (runtime) {
            case ONNX -> OnnxChunkPredictor.of(p.net(), p.params(), p.horizon(), p.actionDim(), p.usesPreviousChunk(), threads);
            case SAMEDIFF -> new SameDiffChunkPredictor(p.net(), p.params(), p.horizon(), p.actionDim(), p.usesPreviousChunk());
        };
    }

    static Checkpoint load(Path dir, String kind) {
        Checkpoint c;
        try {
            c = Checkpoint.load(dir);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (!kind.equals(c.kind()))
            throw new UserError(c.dir() + ": a '" + c.kind() + "' checkpoint where a '" + kind + "' checkpoint is needed");
        return c;
    }

    /** TensorStore of the predictor's or DP's evaluation parameters (EMA when present). */
    static TensorStore params(Checkpoint c) {
        return c.evalParams();
    }
}
