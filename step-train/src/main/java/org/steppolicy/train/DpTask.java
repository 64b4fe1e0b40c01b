package org.steppolicy.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.ImageDiffusionPolicy;
import org.steppolicy.models.ImageObsEncoder;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.SameDiffBuilder;
import org.steppolicy.models.DiffusionSchedule;
import org.steppolicy.models.DpArch;
import org.steppolicy.models.TensorStore;
import org.steppolicy.models.UnetConfig;

/**
 * Diffusion Policy's training task (docs/reference/diffusion-policy.md §B.1, §B.3): the denoiser graph ({@code sample},
 * {@code timestep}, {@code global_cond} -> {@code noise_pred}; no {@code global_cond} when inpainting) plus the
 * epsilon-MSE loss, fed with batches noised in Java from (seed, step).
 */
public final class DpTask extends WindowTask {
    public static final String SAMPLE = "sample", TIMESTEP = "timestep", GLOBAL_COND = "global_cond", OUTPUT = "noise_pred";
    /** Offset that keeps the fixed validation noise apart from every training step's. */
    private static final long VALIDATION_SEED = 0x7A11DA7E5EEDL;

    private final DpTrainSettings s;
    private String configYaml;
    private final TrainGraph graph;
    private final DpNoiser noiser;
    private final EpochBatcher batcher;
    private final DataType timestepType;
    private final int dim, condDim;
    // Reused per-batch buffers (the trainer is single-threaded).
    private final float[] obs, act, x0, xt, eps, cond;
    private final int[] t;
    private final ImageWindows trainImages, validImages;   // null for low-dim policies
    private final float[] lossWeight;                       // inpainting's loss mask; null with a global condition
    /** Builds the graph validation runs on; null: validation runs on the training graph. */
    private Supplier<SameDiff> validationNetwork;
    private TrainGraph validationGraph;

    /**
     * @param valid null or empty: no validation loss
     * @param network builds the denoiser; its inputs must match the settings (input dim Da, or Da+Do when inpainting)
     */
    public DpTask(DpTrainSettings settings, WindowSource train, WindowSource valid, String normalizerJson, GraphFactory network) {
        this(settings, train, valid, null, null, normalizerJson, network);
    }

    /**
     * A visuomotor DP: {@code global_cond} is the flat observation window (per step the low-dim values, then the
     * cropped frame; {@link org.steppolicy.models.ImageObsSpec}), fed from the image windows beside the low-dim ones.
     */
    public DpTask(DpTrainSettings settings, WindowSource train, WindowSource valid, ImageWindows trainImages,
                  ImageWindows validImages, String normalizerJson, GraphFactory network) {
        super(train, valid, normalizerJson, settings.horizon(), settings.nObsSteps());
        this.s = settings;
        this.trainImages = trainImages;
        this.validImages = validImages;
        if (trainImages != null && !settings.obsAsGlobalCond())
            throw new IllegalArgumentException("image observations need obs_as_global_cond (inpainting cannot hold pixels)");
        this.dim = settings.obsAsGlobalCond() ? Da : Da + Do;
        int stepDim = trainImages == null ? Do : trainImages.spec().stepDim();
        if (trainImages != null && trainImages.spec().lowDim() != Do)
            throw new IllegalArgumentException("image spec has " + trainImages.spec().lowDim() + " low-dim values, the data " + Do);
        this.condDim = settings.obsAsGlobalCond() ? settings.nObsSteps() * stepDim : 0;
        boolean[] mask = settings.obsAsGlobalCond() ? null : DpNoiser.inpaintingMask(T, Da, Do, settings.nObsSteps());
        DiffusionSchedule schedule = DiffusionSchedule.squaredcosCapV2(settings.numTrainTimesteps());
        this.noiser = new DpNoiser(schedule, T, dim, mask);
        SameDiff sd = network.build(true);
        for (String in : settings.obsAsGlobalCond() ? new String[] {SAMPLE, TIMESTEP, GLOBAL_COND} : new String[] {SAMPLE, TIMESTEP})
            if (!sd.hasVariable(in)) throw new IllegalArgumentException("denoiser graph lacks input " + in);
        this.timestepType = sd.getVariable(TIMESTEP).dataType();
        this.lossWeight = settings.obsAsGlobalCond() ? null : noiser.lossWeight();
        this.graph = LossHead.attach(sd, OUTPUT, T, dim, lossWeight);
        this.batcher = new EpochBatcher(train.size(), settings.batchSize(), settings.seed());
        int B = settings.batchSize() + 1;   // a batch may hold one window more (EpochBatcher's single leftover)
        obs = new float[B * T * Do];
        act = new float[B * T * Da];
        x0 = new float[B * T * dim];
        xt = new float[B * T * dim];
        eps = new float[B * T * dim];
        cond = new float[B * Math.max(1, condDim)];
        t = new int[B];
    }

    /** The U-Net of these settings (§A.1) with PyTorch-default initial weights from {@code seed}. */
    public static ConditionalUnet1d unet(DpTrainSettings s, int obsDim, int actionDim) {
        return new ConditionalUnet1d(s.unet(obsDim, actionDim, obsDim), s.horizon());
    }

    /** The image DP of these settings: the spec's encoder feeding the U-Net (§A.1) through its global condition. */
    public static ImageDiffusionPolicy imagePolicy(DpTrainSettings s, ImageObsSpec spec, int actionDim) {
        ImageObsEncoder enc = new ImageObsEncoder(spec, s.nObsSteps());
        if (!s.obsAsGlobalCond()) throw new IllegalArgumentException("image observations need obs_as_global_cond");
        return new ImageDiffusionPolicy(enc, new ConditionalUnet1d(s.unet(spec.stepDim(), actionDim, spec.encodedStepDim()), s.horizon()));
    }

    /** The image DP task; encoder and U-Net train end to end. */
    public static DpTask withImages(DpTrainSettings s, WindowSource train, WindowSource valid, ImageWindows trainImages,
                                    ImageWindows validImages, String normalizerJson) {
        ImageDiffusionPolicy net = imagePolicy(s, trainImages.spec(), train.actionDim());
        TensorStore init = net.initParams(s.seed());
        return new DpTask(s, train, valid, trainImages, validImages, normalizerJson,
                training -> SameDiffBuilder.build(net, init, true)) // no dropout anywhere: one graph
                .validateOn(() -> SameDiffBuilder.build(net, init, false));
    }

    /** Graph factory for the U-Net, initial weights seeded by the settings' seed. */
    public static GraphFactory unetFactory(DpTrainSettings s, int obsDim, int actionDim) {
        ConditionalUnet1d net = unet(s, obsDim, actionDim);
        TensorStore init = net.initParams(s.seed());
        return training -> {
            SameDiff sd = SameDiff.create();
            net.buildSameDiff(sd, init); // no dropout in the U-Net: one graph for training and inference
            return sd;
        };
    }

    /** The DP task on the real U-Net. */
    public static DpTask withUnet(DpTrainSettings s, WindowSource train, WindowSource valid, String normalizerJson) {
        return new DpTask(s, train, valid, normalizerJson, unetFactory(s, train.obsDim(), train.actionDim()));
    }

    @Override public String kind() { return "dp"; }
    @Override public TrainGraph graph() { return graph; }
    @Override public String configYaml() { return configYaml != null ? configYaml : s.toYaml(); }

    /** Writes this resolved configuration (the CLI's full StepConfig YAML) instead of the settings' own. */
    public DpTask withConfigYaml(String yaml) {
        this.configYaml = yaml;
        return this;
    }
    public EpochBatcher batcher() { return batcher; }

    /**
     * Computes the validation loss on {@code network} (built once, on first use; the same network description,
     * parameters and outputs as the training graph) with the given parameters copied in before every pass,
     * instead of on the training graph. For the image DP: its training rendering (convolutions as im2col + GEMM)
     * has many times the ops of the inference rendering, and SameDiff's output() walks the whole graph on every
     * call, which made validation cost minutes (docs/performance.md, "Image DP: convolutions as GEMMs").
     */
    public DpTask validateOn(Supplier<SameDiff> network) {
        this.validationNetwork = network;
        this.validationGraph = null;
        return this;
    }

    /** The graph the validation loss runs on, holding {@code params}' values. */
    TrainGraph validationGraph(Map<String, INDArray> params) {
        if (validationNetwork == null) return graph;   // the training graph holds the live parameters already
        if (validationGraph == null) {
            validationGraph = LossHead.attach(validationNetwork.get(), OUTPUT, T, dim, lossWeight);
            if (!validationGraph.params().keySet().equals(graph.params().keySet()))
                throw new IllegalStateException("the validation network's parameters differ from the training graph's");
        }
        params.forEach((name, value) -> validationGraph.params().get(name).assign(value));
        return validationGraph;
    }

    @Override
    public Map<String, Object> arch() {
        // for an image DP the U-Net's condition is the encoder's output and obs_dim the flat step (low-dim + pixels)
        ImageObsSpec spec = trainImages == null ? null : trainImages.spec();
        UnetConfig unet = spec == null ? s.unet(Do, Da, Do) : s.unet(spec.stepDim(), Da, spec.encodedStepDim());
        return new DpArch(unet, T, s.nObsSteps(), s.nActionSteps(), spec == null ? Do : spec.stepDim(), Da,
                s.numTrainTimesteps(), spec, null).toArch();
    }

    @Override
    public Map<String, INDArray> trainFeed(long step) {
        return feed(train, trainImages, batcher.batch(step), s.seed(), step, true);
    }

    @Override
    public double validationLoss(Map<String, INDArray> params) {
        if (valid == null || valid.size() == 0) return Double.NaN;
        TrainGraph g = validationGraph(params);
        double sum = 0;
        long count = 0;
        int B = s.batchSize();
        for (int from = 0, b = 0; from < valid.size(); from += B, b++) {
            // a last chunk of one window joins this one (batch-1 reduces fail in ND4J M2.1, see EpochBatcher)
            int n = valid.size() - from == B + 1 ? B + 1 : Math.min(B, valid.size() - from);
            int[] idx = new int[n];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            // Fixed noise per validation batch, so successive validation losses are comparable.
            Map<String, INDArray> feed = feed(valid, validImages, idx, s.seed() ^ VALIDATION_SEED, b, false);
            sum += g.loss(feed) * idx.length;
            TrainGraph.release(feed);
            count += idx.length;
            from += n - B;
        }
        return sum / count;
    }

    /** @param randomCrop training batches crop images at random positions; validation takes the centre */
    private Map<String, INDArray> feed(WindowSource src, ImageWindows images, int[] idx, long seed, long step, boolean randomCrop) {
        int B = idx.length;
        for (int i = 0; i < B; i++) src.window(idx[i], obs, i * T * Do, act, i * T * Da, null, 0);
        if (images != null) {
            System.arraycopy(act, 0, x0, 0, B * T * Da);
            java.util.SplittableRandom crop = randomCrop ? ImageWindows.cropRandom(seed, step) : null;
            for (int i = 0; i < B; i++) images.fill(idx[i], obs, i * T * Do, crop, cond, i * condDim);
        } else if (s.obsAsGlobalCond()) {
            System.arraycopy(act, 0, x0, 0, B * T * Da);
            int per = s.nObsSteps() * Do;
            for (int i = 0; i < B; i++) System.arraycopy(obs, i * T * Do, cond, i * per, per);
        } else {
            for (int i = 0; i < B * T; i++) {
                System.arraycopy(act, i * Da, x0, i * dim, Da);
                System.arraycopy(obs, i * Do, x0, i * dim + Da, Do);
            }
        }
        noiser.noise(x0, B, seed, step, xt, eps, t);
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put(SAMPLE, Nd4j.create(slice(xt, B * T * dim), new long[] {B, T, dim}, 'c'));
        float[] tf = new float[B];
        for (int i = 0; i < B; i++) tf[i] = t[i];
        feed.put(TIMESTEP, Nd4j.create(tf, new long[] {B}, 'c').castTo(timestepType));
        if (s.obsAsGlobalCond()) feed.put(GLOBAL_COND, Nd4j.create(slice(cond, B * condDim), new long[] {B, condDim}, 'c'));
        feed.put(LossHead.TARGET, Nd4j.create(slice(eps, B * T * dim), new long[] {B, T, dim}, 'c'));
        return feed;
    }

    private static float[] slice(float[] a, int n) {
        return n == a.length ? a.clone() : java.util.Arrays.copyOf(a, n);
    }
}
