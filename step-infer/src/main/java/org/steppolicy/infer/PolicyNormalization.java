package org.steppolicy.infer;

import org.steppolicy.data.LinearNormalizer;

/** The observation and action normalisers a checkpoint was trained with (its normalizer.json). */
public record PolicyNormalization(LinearNormalizer obs, LinearNormalizer action) {}
