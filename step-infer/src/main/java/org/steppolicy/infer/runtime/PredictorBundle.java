package org.steppolicy.infer.runtime;

import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.NetworkDefinition;
import org.steppolicy.models.TensorStore;

/**
 * A warm-start predictor before a runtime is chosen: its definition (inputs obs[, prev_action], output
 * action_pred), weights, the normaliser it was trained with and its kind ("step" reads the previous chunk,
 * "spatial" does not).
 */
public record PredictorBundle(NetworkDefinition net, TensorStore params, String kind, boolean usesPreviousChunk,
                              int horizon, int actionDim, DatasetNormalizer normalization) {}
