package org.steppolicy.cli;

import java.util.List;
import java.util.ArrayList;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.OnnxExportFolder;
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
 * predictor-KIND.onnx for each other kind, and policy.json. With an export folder as --dp, a copy of it with the given
 * predictors in place of their kinds.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Write the policy as ONNX (dp.onnx, predictor.onnx for the step predictor, predictor-KIND.onnx for others) "
                + "with a JSON sidecar (policy.json). With an export folder as --dp (e.g. models/pusht-lowdim): a copy of it "
                + "with the given --predictor checkpoints in place of the predictors of their kinds.")
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
        if (source.dp != null && OnnxExportFolder.isExport(source.dp)) {
            // An export folder as the DP: its DP files as they are, with the given predictors in place of their kinds.
            if (source.predictors.isEmpty()) throw new UserError("--dp " + source.dp + " is an export folder: give the --predictor checkpoints to put into it");
            OnnxExportFolder from = OnnxExportFolder.read(source.dp);
            List<PredictorBundle> preds = new ArrayList<>();
            for (Path p : source.predictors) preds.add(PolicyLoader.predictorFromCheckpoint(p));
            try (RunFolder folder = RunFolder.claim(out, RunFolder.Kind.EXPORT, force, false)) {
                for (Path p : OnnxExport.withPredictors(from, preds, out)) log.println("wrote " + p);
            }
            return 0;
        }
        var loaded = source.loadAll(c);
        try (RunFolder folder = RunFolder.claim(out, RunFolder.Kind.EXPORT, force, false)) {
            for (Path p : OnnxExport.write(loaded.dp(), loaded.predictors(), out)) log.println("wrote " + p);
        }
        return 0;
    }
}
