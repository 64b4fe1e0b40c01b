package org.steppolicy.eval;

import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.StallTest;

import java.util.List;

/**
 * One method's closed-loop figures: mean score (mean over episodes of the max reward, docs/reference/pusht-env.md E.4), success rate
 * (coverage > 0.95), per-chunk latency with the predictor and the diffusion loop apart, and what the velocity-aware
 * stall test saw; each episode's score beside its seed (every method runs seeds seed .. seed+episodes-1).
 * {@code episodes} were run of the {@code episodesPlanned}: fewer when the evaluation was interrupted (Ctrl-C), which
 * leaves the method partial until {@code step eval --resume} runs the rest.
 */
public record MethodResult(String method, int steps, int episodes, double meanScore, double successRate,
                           LatencySummary latency, List<Double> episodeScores, List<Long> episodeSeeds, List<String> videos,
                           StallTest stallTest, int episodesPlanned) {
    /** A complete method: every planned episode ran. */
    public MethodResult(String method, int steps, int episodes, double meanScore, double successRate, LatencySummary latency,
                        List<Double> episodeScores, List<Long> episodeSeeds, List<String> videos, StallTest stallTest) {
        this(method, steps, episodes, meanScore, successRate, latency, episodeScores, episodeSeeds, videos, stallTest, episodes);
    }

    public MethodResult {
        episodeScores = List.copyOf(episodeScores);
        episodeSeeds = List.copyOf(episodeSeeds);
        videos = List.copyOf(videos);
        if (episodeSeeds.size() != episodeScores.size())
            throw new IllegalArgumentException(episodeScores.size() + " episode scores, " + episodeSeeds.size() + " seeds");
    }

    /** True when every planned episode ran. */
    public boolean complete() { return episodes >= episodesPlanned; }

    /** The mean score with its 95 % bootstrap interval over episodes. */
    public BootstrapInterval scoreInterval() { return BootstrapInterval.of(episodeScores); }
}
