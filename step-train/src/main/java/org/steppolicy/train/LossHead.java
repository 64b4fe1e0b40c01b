package org.steppolicy.train;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Appends the regression loss to a network graph: loss = mean((output − target)² · weight) over all elements. */
final class LossHead {
    static final String TARGET = "target";
    static final String LOSS = "loss";

    private LossHead() {}

    /** @param weight per (time, channel) of one item, broadcast over the batch; null for a plain MSE */
    static TrainGraph attach(SameDiff sd, String outputName, int horizon, int dim, float[] weight) {
        if (!sd.hasVariable(outputName)) throw new IllegalArgumentException("network has no output " + outputName);
        SDVariable out = sd.getVariable(outputName);
        SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, -1, horizon, dim);
        SDVariable sq = out.squaredDifference(target);
        if (weight != null) sq = sq.mul(sd.constant("loss_weight", Nd4j.create(weight, new long[] {1, horizon, dim}, 'c')));
        sq.mean(LOSS);
        return new TrainGraph(sd, LOSS);
    }
}
