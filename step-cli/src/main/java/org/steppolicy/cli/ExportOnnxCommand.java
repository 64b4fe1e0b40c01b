package org.steppolicy.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.runtime.OnnxExport;
import org.steppolicy.run.RunFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code step export-onnx --dp DPCKPT [--predictor PCKPT]... --out DIR}: dp.onnx, predictor.onnx (the step predictor),
 * predictor-KIND.onnx for each other kind, and policy.json.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Write the policy as ONNX (dp.onnx, predictor.onnx for the step predictor, predictor-KIND.onnx for others) "
                + "with a JSON sidecar (policy.json).")
public final class ExportOnnxCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    PolicySourceOptions source;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--force", description = "Replace an export that is in --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter log = spec.commandLine().getOut();
        StepConfig c = source.resolveConfig();
        var loaded = source.loadAll(c);
        try (RunFolder folder = RunFolder.claim(out, RunFolder.Kind.EXPORT, force, false)) {
            for (Path p : OnnxExport.write(loaded.dp(), loaded.predictors(), out)) log.println("wrote " + p);
        }
        return 0;
    }
}
