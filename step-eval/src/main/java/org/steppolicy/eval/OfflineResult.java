package org.steppolicy.eval;

import org.steppolicy.infer.LatencySummary;

/**
 * Offline figures of one method on demonstration windows (for configs without a simulator, e.g. RoboMimic).
 * The MSEs are in normalised action space, averaged over every element: over the whole H-step chunk, and over the Ta
 * executed steps only.
 */
public record OfflineResult(String method, int steps, int episodes, int windows, double mseChunk, double mseExecuted,
                            LatencySummary latency) {}
