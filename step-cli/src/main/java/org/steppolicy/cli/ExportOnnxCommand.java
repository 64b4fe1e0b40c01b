package org.steppolicy.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.runtime.OnnxExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code step export-onnx --dp DPCKPT [--predictor PCKPT] --out DIR}: dp.onnx, predictor.onnx and policy.json. */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Write the policy as ONNX (dp.onnx, predictor.onnx) with a JSON sidecar (policy.json).")
public final class ExportOnnxCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    PolicySourceOptions source;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter log = spec.commandLine().getOut();
        StepConfig c = source.resolveConfig();
        for (Path p : OnnxExport.write(source.load(c), out)) log.println("wrote " + p);
        return 0;
    }
}
