package org.steppolicy.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff network plus its scalar loss: the trainer's view of a model. Parameters are the graph's trainable
 * (VARIABLE) floating-point variables, in a stable (sorted) order; their arrays are updated in place.
 */
public final class TrainGraph {
    private final SameDiff sd;
    private final String lossName;
    private final List<String> paramNames;
    private final Map<String, INDArray> params = new LinkedHashMap<>();

    public TrainGraph(SameDiff sd, String lossName) {
        if (!sd.hasVariable(lossName)) throw new IllegalArgumentException("graph has no loss variable " + lossName);
        this.sd = sd;
        this.lossName = lossName;
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables())
            if (v.getVariableType() == VariableType.VARIABLE && v.dataType().isFPType()) names.add(v.name());
        Collections.sort(names);
        this.paramNames = List.copyOf(names);
        for (String n : paramNames) params.put(n, sd.getArrForVarName(n));
        sd.setLossVariables(lossName);
    }

    public SameDiff sameDiff() { return sd; }
    public String lossName() { return lossName; }
    public List<String> paramNames() { return paramNames; }

    /** Live parameter arrays by name (sorted). */
    public Map<String, INDArray> params() { return params; }

    public long parameterCount() {
        long n = 0;
        for (INDArray a : params.values()) n += a.length();
        return n;
    }

    /** Forward and backward pass: returns the loss, gradients by parameter name. */
    public Result lossAndGradients(Map<String, INDArray> feed) {
        OutAndGrad og = sd.calculateGradientsAndOutputs(feed, List.of(lossName), paramNames);
        return new Result(og.getOutputs().get(lossName).getDouble(0), og.getGradients());
    }

    /** Forward pass only: the loss. */
    public double loss(Map<String, INDArray> feed) {
        return sd.output(feed, lossName).get(lossName).getDouble(0);
    }

    public record Result(double loss, Map<String, INDArray> gradients) {}
}
