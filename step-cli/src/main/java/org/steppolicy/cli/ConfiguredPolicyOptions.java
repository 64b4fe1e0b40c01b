package org.steppolicy.cli;

import picocli.CommandLine.Mixin;

/**
 * The config and the policy a command runs on ({@link ConfigOptions} and {@link PolicySourceOptions}): eval, analyze
 * contraction, and through {@link PolicyOrRandomOptions} bench, export-onnx, serve and bench serve. One mixin, so
 * every such command takes the two the same way.
 */
public final class ConfiguredPolicyOptions {
    @Mixin
    ConfigOptions config;

    @Mixin
    PolicySourceOptions source;
}
