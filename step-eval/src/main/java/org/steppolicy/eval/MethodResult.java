package org.steppolicy.eval;

import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.StallTest;

import java.util.List;

/**
 * One method's closed-loop figures: mean score (mean over episodes of the max reward, docs/reference/pusht-env.md E.4), success rate
 * (coverage > 0.95), per-chunk latency with the predictor and the diffusion loop apart, and what the velocity-aware
 * stall test saw.
 */
public record MethodResult(String method, int steps, int episodes, double meanScore, double successRate,
                           LatencySummary latency, List<Double> episodeScores, List<String> videos, StallTest stallTest) {}
