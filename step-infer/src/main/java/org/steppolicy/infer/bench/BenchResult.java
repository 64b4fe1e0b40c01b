package org.steppolicy.infer.bench;

/**
 * Batch-1 latency of one method on one runtime, in milliseconds over {@code calls} timed calls after
 * {@code warmup} untimed ones. Predictor and diffusion parts are NaN where a method has none.
 * {@code method} is the spec without its step count ("step", "ddpm", "unet_forward").
 */
public record BenchResult(String method, int steps, String runtime, int threads, int calls, int warmup,
                          double latencyMsMedian, double latencyMsP95, double predictorMsMedian, double predictorMsP95,
                          double diffusionMsMedian, double diffusionMsP95) {}
