package org.steppolicy.eval;

import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.StallTest;

import java.util.Comparator;
import java.util.List;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.sim.Evaluator;

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

    /**
     * The figures of episodes run apart (in any order, e.g. a sweep's seed blocks), computed as
     * {@link ClosedLoopEvaluation#run} computes them: episodes in seed order, mean score and success rate as the
     * simulator's {@link Evaluator.Result}, latency and stall test over every call. No videos.
     */
    public static MethodResult of(String method, int steps, List<EpisodeResult> episodes) {
        List<EpisodeResult> sorted = episodes.stream().sorted(Comparator.comparingLong(e -> e.episode().seed())).toList();
        Evaluator.Result result = new Evaluator.Result(sorted.stream().map(EpisodeResult::episode).toList());
        List<CallLatency> calls = sorted.stream().flatMap(e -> e.calls().stream()).toList();
        return new MethodResult(method, steps, sorted.size(), result.meanScore(), result.successRate(), LatencySummary.of(calls),
                sorted.stream().map(e -> e.episode().maxReward()).toList(), sorted.stream().map(e -> e.episode().seed()).toList(),
                List.of(), StallTest.of(calls));
    }

    /** True when every planned episode ran. */
    public boolean complete() { return episodes >= episodesPlanned; }

    /** The mean score with its 95 % bootstrap interval over episodes. */
    public BootstrapInterval scoreInterval() { return BootstrapInterval.of(episodeScores); }
}
