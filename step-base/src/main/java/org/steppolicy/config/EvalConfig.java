package org.steppolicy.config;

/**
 * Closed-loop evaluation (docs/reference/pusht-env.md E.4).
 * Each field is documented once, in step-base's defaults.yaml (under its snake_case key).
 */
public record EvalConfig(String methods, int episodes, long seed, int threads, int videos) {
}
