package org.steppolicy.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.CvaeArch;
import org.steppolicy.models.CvaeNet;
import org.steppolicy.models.SameDiffBuilder;

/**
 * The CVAE source policy's training task (docs/bridger.md), run by train-bridger before the bridge when
 * bridger.source = cvae: per window the observation condition and the demonstrated chunk x, unit draws for the
 * reparameterisation from (seed, step). Loss = mean((x̂ − x)²) over all elements + β·KL(q(z | o, x) ‖ N(0, I)), the
 * KL summed over the latent and averaged over the batch: a per-element reconstruction term, so β does not depend
 * on the chunk's size, and the whole latent's KL, which is what sampling z ~ N(0, I) relies on.
 */
public final class CvaeTask extends WindowTask {
    private static final long LATENT = 102;
    private static final long VALIDATION_SEED = 0xC0AE5EEDL;

    private final Map<String, Object> arch;
    private final CvaeArch cvae;
    private final TrainGraph graph;
    private final EpochBatcher batcher;
    private final long seed;
    private final int batchSize, condDim;
    private final String configYaml;

    /**
     * @param arch the meta.json arch to record (the BRIDGeR policy's shape and the CVAE's keys, so a resume with
     *             other sizes is refused)
     */
    public CvaeTask(CvaeArch cvae, double beta, Map<String, Object> arch, long seed, int batchSize, int nObsSteps,
                    WindowSource train, WindowSource valid, String normalizerJson, String configYaml) {
        super(train, valid, normalizerJson, train.horizon(), nObsSteps);
        this.cvae = cvae;
        this.arch = arch;
        this.seed = seed;
        this.batchSize = batchSize;
        this.configYaml = configYaml;
        this.condDim = To * Do;
        if (cvae.horizon() != T || cvae.actionDim() != Da || cvae.condDim() != condDim)
            throw new IllegalArgumentException("CVAE shapes do not match horizon " + T + ", action dim " + Da + ", condition " + condDim);
        CvaeNet net = cvae.trainingNet();
        SameDiff sd = SameDiffBuilder.build(net, net.initParams(seed), true);
        SDVariable x = sd.getVariable(CvaeNet.ACTION), mean = sd.getVariable(CvaeNet.MEAN), logVar = sd.getVariable(CvaeNet.LOG_VAR);
        SDVariable mse = sd.getVariable(CvaeNet.RECON).squaredDifference(x).mean();
        SDVariable kl = mean.mul(mean).add(sd.math.exp(logVar)).sub(1.0).sub(logVar).mul(0.5).sum(1).mean();
        mse.add(LossHead.LOSS, kl.mul(beta));
        this.graph = new TrainGraph(sd, LossHead.LOSS);
        this.batcher = new EpochBatcher(train.size(), batchSize, seed);
    }

    @Override public String kind() { return org.steppolicy.models.Checkpoint.KIND_CVAE; }
    @Override public TrainGraph graph() { return graph; }
    @Override public String configYaml() { return configYaml; }
    @Override public Map<String, Object> arch() { return arch; }

    @Override
    public Map<String, INDArray> trainFeed(long step) {
        return feed(train, batcher.batch(step), seed, step);
    }

    @Override
    public double validationLoss(Map<String, INDArray> params) {
        if (valid == null || valid.size() == 0) return Double.NaN;
        double sum = 0;
        for (int from = 0, b = 0; from < valid.size(); b++) {
            // a last chunk of one window joins this one (batch-1 reduces fail in ND4J M2.1, see EpochBatcher)
            int n = valid.size() - from == batchSize + 1 ? batchSize + 1 : Math.min(batchSize, valid.size() - from);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = from + i;
            Map<String, INDArray> feed = feed(valid, idx, seed ^ VALIDATION_SEED, b);
            sum += graph.loss(feed) * n;
            TrainGraph.release(feed);
            from += n;
        }
        return sum / valid.size();
    }

    private Map<String, INDArray> feed(WindowSource src, int[] idx, long seed, long step) {
        int B = idx.length, n = T * Da, L = cvae.latentDim();
        float[] obs = new float[B * T * Do], x = new float[B * n], cond = new float[B * condDim], z = new float[B * L];
        for (int i = 0; i < B; i++) {
            src.window(idx[i], obs, i * T * Do, x, i * n, null, 0);
            System.arraycopy(obs, i * T * Do, cond, i * condDim, condDim);
        }
        SplittableRandom r = StepRandom.of(seed, step, LATENT);
        for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put(CvaeNet.ACTION, Nd4j.create(x, new long[] {B, T, Da}, 'c'));
        feed.put(ConditionalUnet1d.GLOBAL_COND, Nd4j.create(cond, new long[] {B, condDim}, 'c'));
        feed.put(CvaeNet.LATENT_NOISE, Nd4j.create(z, new long[] {B, L}, 'c'));
        return feed;
    }
}
