package org.steppolicy.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What differs between the DP and the predictor trainer; the {@link Trainer} owns the loop, optimiser and files. */
public interface TrainTask {
    /** "dp" or "predictor" (meta.json's kind). */
    String kind();

    /** The training graph (dropout on) with its loss. */
    TrainGraph graph();

    /** The placeholder feed for optimiser step {@code step} (0-based); a pure function of (seed, step). */
    Map<String, INDArray> trainFeed(long step);

    /** Validation loss of the given (raw) parameters over the whole validation set; NaN when there is none. */
    double validationLoss(Map<String, INDArray> params);

    /** Architecture facts that must match on resume and that inference needs to rebuild the network. */
    Map<String, Object> arch();

    /** The resolved configuration, as YAML, written with the run and into every checkpoint. */
    String configYaml();

    /** The normaliser as JSON (normalizer.json). */
    String normalizerJson();
}
