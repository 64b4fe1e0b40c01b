package org.steppolicy.eval;

import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.StallTest;

import java.util.List;

/**
 * One method's closed-loop figures: mean score (mean over episodes of the max reward, docs/reference/pusht-env.md E.4), success rate
 * (coverage > 0.95), per-chunk latency with the predictor and the diffusion loop apart, and what the velocity-aware
 * stall test saw; each episode's score beside its seed (every method runs seeds seed .. seed+episodes-1).
 */
public record MethodResult(String method, int steps, int episodes, double meanScore, double successRate,
                           LatencySummary latency, List<Double> episodeScores, List<Long> episodeSeeds, List<String> videos,
                           StallTest stallTest) {
    public MethodResult {
        episodeScores = List.copyOf(episodeScores);
        episodeSeeds = List.copyOf(episodeSeeds);
        videos = List.copyOf(videos);
        if (episodeSeeds.size() != episodeScores.size())
            throw new IllegalArgumentException(episodeScores.size() + " episode scores, " + episodeSeeds.size() + " seeds");
    }

    /** The mean score with its 95 % bootstrap interval over episodes. */
    public BootstrapInterval scoreInterval() { return BootstrapInterval.of(episodeScores); }
}
