package org.steppolicy.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.BridgerArch;
import org.steppolicy.models.BridgerNet;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.SameDiffBuilder;
import org.steppolicy.models.StochasticInterpolant;
import org.steppolicy.models.TensorStore;

/**
 * BRIDGeR's training task (docs/bridger.md): per window a source chunk x0 ({@link BridgerSource}), the demonstrated
 * chunk x1, t ~ U(0, 1) and unit noise ε, all drawn from (seed, step); x_t from the {@link StochasticInterpolant}.
 * The velocity half of the network regresses ∂tI = α̇x0 + β̇x1 and the score half −z = −dε. BRIDGeR writes these
 * losses as ½|v|² − ∂tI·v and ½|s|² + z·s; each differs from ½|v − ∂tI|² (½|s + z|²) by a term free of the
 * parameters, so the squared error has the same gradients and, unlike BRIDGeR's form, reads as a loss (≥ 0, 0 when
 * fitted). It is averaged over elements rather than summed per chunk: a constant factor, with the same v/s balance.
 */
public final class BridgerTask extends WindowTask {
    /** Purposes of this task's random streams, apart from {@link StepRandom}'s (whose NOISE and TIMESTEPS it reuses). */
    private static final long SOURCE = 101;
    private static final long VALIDATION_SEED = 0x7A11DA7E5EEDL;

    private final BridgerTrainSettings s;
    private final BridgerArch arch;
    private final StochasticInterpolant interpolant;
    private final TrainGraph graph;
    private final EpochBatcher batcher;
    private final DataType timeType;
    private final int condDim;
    private final BridgerSource source;
    private String configYaml;

    public BridgerTask(BridgerTrainSettings settings, WindowSource train, WindowSource valid, String normalizerJson) {
        this(settings, train, valid, normalizerJson, null);
    }

    /**
     * With {@code net} in place of the config's U-Nets (tests: a small body trains in seconds); its checkpoints still
     * describe the config's architecture, so only the caller knows how to rebuild the network. Null: the config's.
     */
    public BridgerTask(BridgerTrainSettings settings, WindowSource train, WindowSource valid, String normalizerJson, BridgerNet net) {
        this(settings, train, valid, normalizerJson, net, BridgerSource.GAUSSIAN);
    }

    /** With the source x0 is drawn from (gaussian, or a trained CVAE's decoder: {@link BridgerSource#cvae}). */
    public BridgerTask(BridgerTrainSettings settings, WindowSource train, WindowSource valid, String normalizerJson, BridgerNet net,
                       BridgerSource source) {
        super(train, valid, normalizerJson, settings.horizon(), settings.nObsSteps());
        this.s = settings;
        this.source = source;
        this.condDim = To * Do;
        this.arch = settings.arch(Do, Da);
        this.interpolant = arch.interpolant();
        if (net == null) net = arch.net();
        if (net.horizon() != T || net.actionDim() != Da || net.condDim() != condDim)
            throw new IllegalArgumentException("network shapes do not match horizon " + T + ", action dim " + Da + ", condition " + condDim);
        TensorStore init = net.initParams(settings.seed());
        SameDiff sd = SameDiffBuilder.build(net, init, true);   // no dropout in the U-Nets: one graph
        this.timeType = sd.getVariable(ConditionalUnet1d.TIMESTEP).dataType();
        this.graph = LossHead.attach(sd, BridgerNet.OUTPUT, T, 2 * Da, null);
        this.batcher = new EpochBatcher(train.size(), settings.batchSize(), settings.seed());
    }

    @Override public String kind() { return "bridger"; }
    @Override public TrainGraph graph() { return graph; }
    @Override public String configYaml() { return configYaml != null ? configYaml : s.toYaml(); }
    @Override public Map<String, Object> arch() { return arch.toArch(); }

    /** Writes this resolved configuration (the CLI's full StepConfig YAML) instead of the settings' own. */
    public BridgerTask withConfigYaml(String yaml) {
        this.configYaml = yaml;
        return this;
    }

    @Override
    public Map<String, INDArray> trainFeed(long step) {
        return feed(train, batcher.batch(step), s.seed(), step);
    }

    @Override
    public double validationLoss(Map<String, INDArray> params) {
        if (valid == null || valid.size() == 0) return Double.NaN;
        double sum = 0;
        int B = s.batchSize();
        for (int from = 0, b = 0; from < valid.size(); b++) {
            // a last chunk of one window joins this one (batch-1 reduces fail in ND4J M2.1, see EpochBatcher)
            int n = valid.size() - from == B + 1 ? B + 1 : Math.min(B, valid.size() - from);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = from + i;
            Map<String, INDArray> feed = feed(valid, idx, s.seed() ^ VALIDATION_SEED, b);   // fixed draws: comparable losses
            sum += graph.loss(feed) * n;
            TrainGraph.release(feed);
            from += n;
        }
        return sum / valid.size();
    }

    private Map<String, INDArray> feed(WindowSource src, int[] idx, long seed, long step) {
        int B = idx.length, n = T * Da;
        float[] obs = new float[B * T * Do], x1 = new float[B * n], cond = new float[B * condDim];
        for (int i = 0; i < B; i++) {
            src.window(idx[i], obs, i * T * Do, x1, i * n, null, 0);
            System.arraycopy(obs, i * T * Do, cond, i * condDim, condDim);
        }
        float[] x0 = new float[B * n], e = new float[B * n];
        SplittableRandom src0 = StepRandom.of(seed, step, SOURCE), noise = StepRandom.of(seed, step, StepRandom.NOISE);
        source.sample(cond, B, src0, x0);
        for (int i = 0; i < e.length; i++) e[i] = (float) noise.nextGaussian();
        SplittableRandom times = StepRandom.of(seed, step, StepRandom.TIMESTEPS);
        double[] t = new double[B];
        float[] tf = new float[B];
        for (int b = 0; b < B; b++) {
            t[b] = StochasticInterpolant.clip(times.nextDouble());
            tf[b] = (float) t[b];
        }
        float[] xt = new float[B * n], vTarget = new float[B * n], sTarget = new float[B * n];
        interpolant.sample(x0, x1, e, t, B, n, xt, vTarget, sTarget);
        float[] target = new float[B * T * 2 * Da];   // per time step: Da velocity targets, then Da score targets
        for (int r = 0; r < B * T; r++) {
            System.arraycopy(vTarget, r * Da, target, r * 2 * Da, Da);
            System.arraycopy(sTarget, r * Da, target, r * 2 * Da + Da, Da);
        }
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put(ConditionalUnet1d.SAMPLE, Nd4j.create(xt, new long[] {B, T, Da}, 'c'));
        feed.put(ConditionalUnet1d.TIMESTEP, Nd4j.create(tf, new long[] {B}, 'c').castTo(timeType));
        feed.put(ConditionalUnet1d.GLOBAL_COND, Nd4j.create(cond, new long[] {B, condDim}, 'c'));
        feed.put(LossHead.TARGET, Nd4j.create(target, new long[] {B, T, 2 * Da}, 'c'));
        return feed;
    }
}
