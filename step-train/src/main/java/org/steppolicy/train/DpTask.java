package org.steppolicy.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.DiffusionSchedule;

/**
 * Diffusion Policy's training task (diffusion-policy.md §B.1, §B.3): the denoiser graph ({@code sample},
 * {@code timestep}, {@code global_cond} -> {@code noise_pred}; no {@code global_cond} when inpainting) plus the
 * epsilon-MSE loss, fed with batches noised in Java from (seed, step).
 */
public final class DpTask implements TrainTask {
    public static final String SAMPLE = "sample", TIMESTEP = "timestep", GLOBAL_COND = "global_cond", OUTPUT = "noise_pred";
    /** Offset that keeps the fixed validation noise apart from every training step's. */
    private static final long VALIDATION_SEED = 0x7A11DA7E5EEDL;

    private final DpTrainSettings s;
    private final WindowSource train;
    private final WindowSource valid;
    private final String normalizerJson;
    private final TrainGraph graph;
    private final DpNoiser noiser;
    private final EpochBatcher batcher;
    private final DataType timestepType;
    private final int T, Do, Da, dim, condDim;
    // Reused per-batch buffers (the trainer is single-threaded).
    private final float[] obs, act, x0, xt, eps, cond;
    private final int[] t;

    /**
     * @param valid null or empty: no validation loss
     * @param network builds the denoiser; its inputs must match the settings (input dim Da, or Da+Do when inpainting)
     */
    public DpTask(DpTrainSettings settings, WindowSource train, WindowSource valid, String normalizerJson, GraphFactory network) {
        this.s = settings;
        this.train = train;
        this.valid = valid;
        this.normalizerJson = normalizerJson;
        this.T = settings.horizon();
        this.Do = train.obsDim();
        this.Da = train.actionDim();
        if (train.horizon() != T) throw new IllegalArgumentException("data windows have horizon " + train.horizon() + ", config " + T);
        this.dim = settings.obsAsGlobalCond() ? Da : Da + Do;
        this.condDim = settings.obsAsGlobalCond() ? settings.nObsSteps() * Do : 0;
        boolean[] mask = settings.obsAsGlobalCond() ? null : DpNoiser.inpaintingMask(T, Da, Do, settings.nObsSteps());
        DiffusionSchedule schedule = DiffusionSchedule.squaredcosCapV2(settings.numTrainTimesteps());
        this.noiser = new DpNoiser(schedule, T, dim, mask);
        SameDiff sd = network.build(true);
        for (String in : settings.obsAsGlobalCond() ? new String[] {SAMPLE, TIMESTEP, GLOBAL_COND} : new String[] {SAMPLE, TIMESTEP})
            if (!sd.hasVariable(in)) throw new IllegalArgumentException("denoiser graph lacks input " + in);
        this.timestepType = sd.getVariable(TIMESTEP).dataType();
        this.graph = LossHead.attach(sd, OUTPUT, T, dim, settings.obsAsGlobalCond() ? null : noiser.lossWeight());
        this.batcher = new EpochBatcher(train.size(), settings.batchSize(), settings.seed());
        int B = settings.batchSize();
        obs = new float[B * T * Do];
        act = new float[B * T * Da];
        x0 = new float[B * T * dim];
        xt = new float[B * T * dim];
        eps = new float[B * T * dim];
        cond = new float[B * Math.max(1, condDim)];
        t = new int[B];
    }

    @Override public String kind() { return "dp"; }
    @Override public TrainGraph graph() { return graph; }
    @Override public String normalizerJson() { return normalizerJson; }
    @Override public String configYaml() { return s.toYaml(); }
    public EpochBatcher batcher() { return batcher; }

    @Override
    public Map<String, Object> arch() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("net", "conditional_unet1d");
        a.put("input_dim", dim);
        a.put("global_cond_dim", condDim);
        a.put("down_dims", s.downDims());
        a.put("kernel_size", s.kernelSize());
        a.put("n_groups", s.nGroups());
        a.put("diffusion_step_embed_dim", s.diffusionStepEmbedDim());
        a.put("cond_predict_scale", s.condPredictScale());
        a.put("horizon", T);
        a.put("n_obs_steps", s.nObsSteps());
        a.put("n_action_steps", s.nActionSteps());
        a.put("obs_dim", Do);
        a.put("action_dim", Da);
        a.put("obs_as_global_cond", s.obsAsGlobalCond());
        a.put("num_train_timesteps", s.numTrainTimesteps());
        return a;
    }

    @Override
    public Map<String, INDArray> trainFeed(long step) {
        return feed(train, batcher.batch(step), s.seed(), step);
    }

    @Override
    public double validationLoss(Map<String, INDArray> params) {
        if (valid == null || valid.size() == 0) return Double.NaN;
        double sum = 0;
        long n = 0;
        int B = s.batchSize();
        for (int from = 0, b = 0; from < valid.size(); from += B, b++) {
            int[] idx = new int[Math.min(B, valid.size() - from)];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            // Fixed noise per validation batch, so successive validation losses are comparable.
            sum += graph.loss(feed(valid, idx, s.seed() ^ VALIDATION_SEED, b)) * idx.length;
            n += idx.length;
        }
        return sum / n;
    }

    private Map<String, INDArray> feed(WindowSource src, int[] idx, long seed, long step) {
        int B = idx.length;
        for (int i = 0; i < B; i++) src.window(idx[i], obs, i * T * Do, act, i * T * Da, null, 0);
        if (s.obsAsGlobalCond()) {
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
