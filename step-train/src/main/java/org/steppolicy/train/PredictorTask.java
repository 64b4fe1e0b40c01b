package org.steppolicy.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.PredictorArch;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.models.TensorStore;

/**
 * The warm-start predictor's training task (docs/reference/step-method.md): f(o, A_prev) -> Â, MSE against the demonstrated
 * 16-step action window in normalised space. The previous chunk is the genuinely previous one from the data (the
 * action window shifted back by Ta, edge-padded), never part of the target. kind=spatial feeds no previous chunk.
 * The training graph has a fixed batch size (dropout masks), so batches drop the epoch's remainder; validation runs
 * the dropout-free inference graph with the current weights.
 */
public final class PredictorTask extends WindowTask {
    private final PredictorTrainSettings s;
    private String configYaml;
    private final StepPredictorNet net;
    private final TensorStore init;
    private final TrainGraph graph;
    private final EpochBatcher batcher;
    private final float[] obs, act, prev;
    private SameDiff evalGraph;

    private final ImageWindows trainImages, validImages;   // null for low-dim predictors
    private final int obsStep;                              // values per observation step fed to the network

    public PredictorTask(PredictorTrainSettings settings, WindowSource train, WindowSource valid, String normalizerJson) {
        this(settings, train, valid, null, null, normalizerJson);
    }

    /** A visuomotor predictor: each observation step is its low-dim values then its cropped frame (STEP's encoder). */
    public PredictorTask(PredictorTrainSettings settings, WindowSource train, WindowSource valid, ImageWindows trainImages,
                         ImageWindows validImages, String normalizerJson) {
        super(train, valid, normalizerJson, settings.horizon(), settings.nObsSteps());
        this.s = settings;
        this.trainImages = trainImages;
        this.validImages = validImages;
        PredictorNetConfig netConfig = settings.netConfig(Do, Da);
        if (trainImages != null) {
            if (trainImages.spec().lowDim() != Do)
                throw new IllegalArgumentException("image spec has " + trainImages.spec().lowDim() + " low-dim values, the data " + Do);
            netConfig = netConfig.withImage(trainImages.spec());
        }
        this.net = new StepPredictorNet(netConfig);
        this.obsStep = netConfig.obsDim();
        this.init = net.initParams(settings.seed());
        SameDiff sd = SameDiff.create();
        net.buildTraining(sd, init, settings.batchSize());
        this.graph = LossHead.attach(sd, StepPredictorNet.ACTION_PRED, T, Da, null);
        this.batcher = new EpochBatcher(train.size(), settings.batchSize(), settings.seed(), true);
        int B = settings.batchSize();
        obs = new float[B * T * Do];
        act = new float[B * T * Da];
        prev = new float[B * T * Da];
    }

    @Override public String kind() { return "predictor"; }
    @Override public TrainGraph graph() { return graph; }
    @Override public String configYaml() { return configYaml != null ? configYaml : s.toYaml(); }

    /** Writes this resolved configuration (the CLI's full StepConfig YAML) instead of the settings' own. */
    public PredictorTask withConfigYaml(String yaml) {
        this.configYaml = yaml;
        return this;
    }

    @Override
    public Map<String, Object> arch() {
        return new PredictorArch(net.config(), s.nActionSteps()).toArch();
    }

    @Override
    public Map<String, INDArray> trainFeed(long step) {
        return feed(train, trainImages, batcher.batch(step), ImageWindows.cropRandom(s.seed(), step));
    }

    @Override
    public double validationLoss(Map<String, INDArray> params) {
        if (valid == null || valid.size() == 0) return Double.NaN;
        if (evalGraph == null) {
            evalGraph = SameDiff.create();
            net.buildSameDiff(evalGraph, init);
            LossHead.attach(evalGraph, StepPredictorNet.ACTION_PRED, T, Da, null);
        }
        params.forEach((k, v) -> evalGraph.getVariable(k).getArr().assign(v));
        TrainGraph eval = new TrainGraph(evalGraph, LossHead.LOSS);
        double sum = 0;
        int B = s.batchSize();
        for (int from = 0; from < valid.size(); from += B) {
            int[] idx = new int[Math.min(B, valid.size() - from)];
            for (int i = 0; i < idx.length; i++) idx[i] = from + i;
            Map<String, INDArray> feed = feed(valid, validImages, idx, null);
            sum += eval.loss(feed) * idx.length;
            TrainGraph.release(feed);
        }
        return sum / valid.size();
    }

    /** @param crop random crop positions for images (training); null: centre crops */
    private Map<String, INDArray> feed(WindowSource src, ImageWindows images, int[] idx, java.util.SplittableRandom crop) {
        int B = idx.length;
        for (int i = 0; i < B; i++) src.window(idx[i], obs, i * T * Do, act, i * T * Da, prev, i * T * Da);
        float[] o = new float[B * To * obsStep];
        for (int i = 0; i < B; i++) {
            if (images != null) images.fill(idx[i], obs, i * T * Do, crop, o, i * To * obsStep);
            else System.arraycopy(obs, i * T * Do, o, i * To * Do, To * Do);
        }
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put(StepPredictorNet.OBS, Nd4j.create(o, new long[] {B, To, obsStep}, 'c'));
        if (net.config().usesPreviousChunk())
            feed.put(StepPredictorNet.PREV_ACTION, Nd4j.create(java.util.Arrays.copyOf(prev, B * T * Da), new long[] {B, T, Da}, 'c'));
        feed.put(LossHead.TARGET, Nd4j.create(java.util.Arrays.copyOf(act, B * T * Da), new long[] {B, T, Da}, 'c'));
        return feed;
    }

    /** Mean squared error of "repeat the previous chunk shifted by Ta" (the temporal-only start) on a split. */
    public static double shiftedPreviousChunkMse(WindowSource src, int nActionSteps) {
        int T = src.horizon(), Do = src.obsDim(), Da = src.actionDim();
        float[] o = new float[T * Do], a = new float[T * Da], p = new float[T * Da];
        double sum = 0;
        for (int i = 0; i < src.size(); i++) {
            src.window(i, o, 0, a, 0, p, 0);
            for (int t = 0; t < T; t++) {
                // the previous chunk's step t + Ta is the current step t; past its end, hold its last action
                int j = Math.min(T - 1, t + nActionSteps);
                for (int c = 0; c < Da; c++) {
                    double d = p[j * Da + c] - a[t * Da + c];
                    sum += d * d;
                }
            }
        }
        return sum / ((double) src.size() * T * Da);
    }
}
