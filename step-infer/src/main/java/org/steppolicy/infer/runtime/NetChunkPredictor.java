package org.steppolicy.infer.runtime;

import java.util.List;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.models.StepPredictorNet;

/**
 * The predictor's graph inputs ({@code obs} [B, To, Do], {@code prev_action} [B, H, Da] for kind=step) and output
 * ({@code action_pred} [B, H, Da]) fed from the {@link ChunkPredictor} arrays (docs/checkpoint-format.md, step-models).
 */
abstract class NetChunkPredictor implements ChunkPredictor {
    static final String OBS = StepPredictorNet.OBS, PREV_ACTION = StepPredictorNet.PREV_ACTION,
            ACTION_PRED = StepPredictorNet.ACTION_PRED;

    private final CompiledNet net;
    private final int horizon, actionDim, obsSize;
    private final boolean usesPrevious;

    NetChunkPredictor(CompiledNet net, int horizon, int actionDim, boolean usesPrevious) {
        this.net = net;
        this.horizon = horizon;
        this.actionDim = actionDim;
        this.usesPrevious = usesPrevious;
        this.obsSize = net.perItem(OBS);
        if (net.perItem(ACTION_PRED) != horizon * actionDim)
            throw new IllegalArgumentException("predictor graph output has " + net.perItem(ACTION_PRED)
                    + " values per item, expected horizon " + horizon + " x action dim " + actionDim);
        if (usesPrevious && net.perItem(PREV_ACTION) != horizon * actionDim)
            throw new IllegalArgumentException("predictor graph prev_action has " + net.perItem(PREV_ACTION) + " values per item");
    }

    static List<String> inputs(boolean usesPrevious) {
        return usesPrevious ? List.of(OBS, PREV_ACTION) : List.of(OBS);
    }

    @Override public int horizon() { return horizon; }

    @Override public int actionDim() { return actionDim; }

    @Override public boolean usesPreviousChunk() { return usesPrevious; }

    /** To*Do, the flattened observation window the predictor reads. */
    public int obsSize() { return obsSize; }

    @Override
    public void predict(float[] obs, float[] prev, int batch, float[] out) {
        net.input(OBS, batch).put(obs, 0, batch * obsSize);
        if (usesPrevious) net.input(PREV_ACTION, batch).put(prev, 0, batch * horizon * actionDim);
        net.run(batch, out);
    }

    @Override
    public void close() {
        net.close();
    }
}
