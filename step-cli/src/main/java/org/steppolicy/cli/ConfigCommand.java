package org.steppolicy.cli;

import org.steppolicy.config.StepConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code step config --config F [k=v...]}: prints the resolved configuration, to check overrides before a run. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the resolved configuration (defaults, config file, overrides).")
public final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        StepConfig c = options.resolve();
        EvalCommand.parseMethods(c.eval().methods());           // eval.methods' grammar lives in step-infer
        System.out.print(c.toYaml());
        return 0;
    }
}
