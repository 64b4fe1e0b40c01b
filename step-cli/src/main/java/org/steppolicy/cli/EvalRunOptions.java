package org.steppolicy.cli;

import org.steppolicy.eval.EvalRequest;
import org.steppolicy.infer.runtime.RuntimeKind;
import picocli.CommandLine.Option;

/**
 * How each method is evaluated, for every command that runs closed-loop evaluations (eval, curve): episodes,
 * first seed, parallel environments, runtime and GIFs; each unset one keeps the config's eval / inference value.
 */
public final class EvalRunOptions {
    @Option(names = "--episodes", paramLabel = "N", description = "Episodes per method. Default: eval.episodes (50).")
    Integer episodes;

    @Option(names = "--seed", paramLabel = "S", description = "First episode seed. Default: eval.seed (100000).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Parallel environments. Default: eval.threads.")
    Integer threads;

    @Option(names = "--runtime", paramLabel = "NAME", description = "onnx or samediff. Default: inference.runtime.")
    String runtime;

    @Option(names = "--videos", paramLabel = "N", description = "GIFs of the first N episodes per method. Default: eval.videos.")
    Integer videos;

    /** {@code r} with every option given applied. */
    EvalRequest apply(EvalRequest r) {
        if (episodes != null) r = r.withEpisodes(episodes);
        if (seed != null) r = r.withSeed(seed);
        if (threads != null) r = r.withThreads(threads);
        if (runtime != null) r = r.withRuntime(RuntimeKind.parse(runtime));
        if (videos != null) r = r.withVideos(videos);
        return r;
    }
}
