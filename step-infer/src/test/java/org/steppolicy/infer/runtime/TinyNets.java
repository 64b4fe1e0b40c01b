package org.steppolicy.infer.runtime;

import java.util.List;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.UnetConfig;

/** Small architectures for fast runtime tests (Push-T sizes for the I/O, tiny hidden dims). */
final class TinyNets {
    private TinyNets() {}

    static final PolicyShape SHAPE = PolicyShape.pushT();

    static ConditionalUnet1d unet() {
        return new ConditionalUnet1d(UnetConfig.of(SHAPE.actionDim(), SHAPE.condDim(), List.of(16, 32), 16), SHAPE.horizon());
    }

    static ConditionalUnet1d inpaintingUnet() {
        return new ConditionalUnet1d(UnetConfig.of(SHAPE.actionDim() + SHAPE.obsDim(), 0, List.of(16, 32), 16), SHAPE.horizon());
    }

    /** One level: the fewest ops a U-Net can have (SameDiff pays per op). */
    static ConditionalUnet1d smallestUnet() {
        return new ConditionalUnet1d(UnetConfig.of(SHAPE.actionDim(), SHAPE.condDim(), List.of(8), 8), SHAPE.horizon());
    }

    static PredictorNetConfig predictor(PredictorNetConfig.Kind kind) {
        return new PredictorNetConfig(SHAPE.obsDim(), SHAPE.actionDim(), SHAPE.obsSteps(), SHAPE.horizon(), 32, 4, 64, 0.1, 1, 1, kind);
    }

    static float[] random(java.util.SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (2 * r.nextDouble() - 1);
        return v;
    }
}
