package org.steppolicy.infer;

/** The observation and action normalisers a checkpoint was trained with (its normalizer.json). */
public record PolicyNormalization(Normalization obs, Normalization action) {}
