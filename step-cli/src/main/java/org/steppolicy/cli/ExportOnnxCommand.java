package org.steppolicy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.infer.runtime.BridgerBundle;
import org.steppolicy.infer.runtime.FusedCheck;
import org.steppolicy.infer.runtime.FusedOnnx;
import org.steppolicy.infer.runtime.OnnxExport;
import org.steppolicy.infer.runtime.OnnxExportFolder;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.policy.TrainedPolicy;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.models.WeightStorage;
import org.steppolicy.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code step export-onnx --policy DIR [--predictor DIR]... --out DIR [--fused step:2]}: dp.onnx, predictor.onnx (the
 * step predictor), predictor-KIND.onnx for each other kind, policy.json and, with --fused, step_policy.onnx (the whole
 * control call in one graph; --policy may then be an export folder, e.g. models/pusht-lowdim, copied with the file added).
 * With an export folder as --policy and --predictor checkpoints: a copy of it with those predictors in place of their kinds
 * (a train-bridger checkpoint among them adds bridger.onnx, docs/bridger.md).
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Write the policy as ONNX (dp.onnx, predictor.onnx for the step predictor, predictor-KIND.onnx for others) "
                + "with a JSON sidecar (policy.json). With an export folder as --policy (e.g. models/pusht-lowdim): a copy of it "
                + "with the given --predictor checkpoints in place of the predictors of their kinds (a train-bridger checkpoint adds "
                + "bridger.onnx).")
public final class ExportOnnxCommand extends StepCommand {
    @Mixin
    PolicyOrRandomOptions policy;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--force", description = "Replace an export that is in --out.")
    boolean force;

    @Option(names = "--fused", paramLabel = "METHOD", description = "Also write step_policy.onnx: one whole control call "
            + "(normalise, predictor, warm start, DDIM steps, unnormalise) for step:K, spatial:K, temporal:K or ddim:K, "
            + "perturbation off (docs/onnx.md). With --policy an export folder, the folder is copied to --out with the file added.")
    String fused;

    @Option(names = "--fused-cold-steps", paramLabel = "N", defaultValue = "" + FusedOnnx.DEFAULT_COLD_STEPS,
            description = "DDIM steps of the fused file's cold start (first_call = 1; default ${DEFAULT-VALUE}).")
    int coldSteps;

    @Option(names = "--fused-check", paramLabel = "FILE", description = "After writing, run the Java engine on a few seeded "
            + "calls and write their inputs, outputs and batch-1 latency to FILE (for scripts/fused-onnx-check.sh).")
    Path check;

    @Option(names = "--half-weights", description = "Store the weights of the networks this command writes as float16 "
            + "(ONNX Runtime widens them at load and computes in float32): files about half the size, weights rounded by at "
            + "most 2^-11 relative (docs/onnx.md). Files copied from an export folder stay as they are.")
    boolean halfWeights;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter log = out();
        StepConfig c = policy.config().resolve();
        PolicySourceOptions source = policy.source();
        policy.random.checkAlone(source);
        if ((check != null || coldSteps != FusedOnnx.DEFAULT_COLD_STEPS) && fused == null)
            throw new UserError("--fused-check and --fused-cold-steps go with --fused METHOD");
        MethodConfig method = fused == null ? null : FusedOnnx.resolve(fused, InferenceSettings.from(c.inference()), coldSteps);
        boolean fromExport = source.policy != null && OnnxExportFolder.isExport(source.policy);
        WeightStorage storage = halfWeights ? WeightStorage.FLOAT16 : WeightStorage.FLOAT32;
        if (fromExport && !source.predictors.isEmpty()) {
            // An export folder as the DP with predictor checkpoints: its DP files as they are, the predictors in place of their kinds.
            if (method != null)
                throw new UserError("--fused with --predictor on an export folder: replace the predictors first, then add --fused to the result");
            OnnxExportFolder from = OnnxExportFolder.read(source.policy);
            List<PredictorBundle> preds = new ArrayList<>();
            BridgerBundle bridger = null;
            for (Path p : source.predictors) {
                if (!BridgerBundle.isBridger(p)) preds.add(PolicyLoader.predictorFromCheckpoint(p));
                else if (bridger != null) throw new UserError("two BRIDGeR checkpoints given; pass one");
                else bridger = BridgerBundle.fromCheckpoint(p);
            }
            try (RunFolder folder = RunFolder.claim(out, RunFolder.Kind.EXPORT, force, false)) {
                for (Path p : OnnxExport.withPredictors(from, preds, bridger, out, storage)) log.println("wrote " + p);
            }
            return 0;
        }
        if (fromExport && method == null)
            throw new UserError("--policy " + source.policy + " is an export folder; it is exported already (give --fused METHOD to add step_policy.onnx, or --predictor checkpoints to replace its predictors)");
        try (RunFolder folder = RunFolder.claim(out, RunFolder.Kind.EXPORT, force, false)) {
            if (fromExport) {
                if (halfWeights)
                    throw new UserError("--half-weights: adding --fused to an export folder writes no network file (export it from checkpoints)");
                for (Path p : OnnxExport.writeFused(OnnxExportFolder.read(source.policy), out, method)) log.println("wrote " + p);
            } else {
                TrainedPolicy loaded = policy.load(c, false);
                for (Path p : OnnxExport.write(loaded.checkpoint(), loaded.predictorBundles(), out, method, storage)) log.println("wrote " + p);
            }
        }
        if (method != null) log.println("step_policy.onnx runs " + method.label());
        if (check != null) {
            FusedCheck.Summary s = FusedCheck.write(out, method, check, 6, 200, 1);
            log.printf(java.util.Locale.ROOT, "wrote %s; fused file on Java ONNX Runtime vs the Java engine: max relative action"
                    + " difference %.2e; batch-1 median over %d calls (1 thread): Java engine %.2f ms, fused file on Java ORT %.2f ms%n",
                    check, s.maxRelActionDiffJavaOrt(), s.runs(), s.engineMedianMs(), s.fusedJavaMedianMs());
        }
        return 0;
    }
}
