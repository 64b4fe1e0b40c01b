package org.steppolicy.infer.runtime;

import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.NetworkDefinition;
import org.steppolicy.models.TensorStore;

/**
 * The U-Net on SameDiff (the reference runtime; the CUDA path with the CUDA backend). Slow at batch 1 (about 20 µs
 * of executor time per op, docs/reference/runtime-notes.md) and clears its inference sessions periodically against the known leak.
 */
public final class SameDiffDenoiser extends NetDenoiser {

    public SameDiffDenoiser(ConditionalUnet1d net, TensorStore params) {
        this(net, params, net.horizon(), net.config().inputDim(), net.config().globalCondDim(),
                SameDiffModel.DEFAULT_CLEAR_EVERY);
    }

    /** Any network with the U-Net's input and output names; clearEvery 0 never clears the sessions. */
    SameDiffDenoiser(NetworkDefinition net, TensorStore params, int horizon, int inputDim, int condDim, int clearEvery) {
        super(new SameDiffModel(net, params, inputs(condDim), ConditionalUnet1d.NOISE_PRED, clearEvery),
                horizon, inputDim, condDim);
    }
}
