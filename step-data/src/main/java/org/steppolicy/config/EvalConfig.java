package org.steppolicy.config;

/** Closed-loop evaluation (docs/reference/pusht-env.md E.4). */
public record EvalConfig(String methods, int episodes, long seed, int threads, int videos) {
}
