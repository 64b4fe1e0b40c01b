package org.steppolicy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.steppolicy.importer.PolicyImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code step import FILE_OR_DIR --out DIR [--weights ema|model]}: wiring; the logic is step-train's PolicyImporter. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a PyTorch Diffusion Policy as a native DP checkpoint folder: a diffusion_policy workspace "
                + "checkpoint (*.ckpt) or a LeRobot pretrained_model folder (config.json + model.safetensors).")
public final class ImportCommand extends StepCommand {
    @Parameters(index = "0", paramLabel = "FILE_OR_DIR", description = "diffusion_policy .ckpt file, or LeRobot pretrained_model folder")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New checkpoint folder (must not exist, or be empty).")
    Path out;

    @Option(names = "--weights", paramLabel = "ema|model",
            description = "Which weights to run: ema (diffusion_policy's default) or model (raw). LeRobot folders hold one set.")
    String weights;

    @Override
    public Integer call() {
        PolicyImporter.ImportResult r = PolicyImporter.importPolicy(source, out,
                weights == null ? null : PolicyImporter.Weights.parse(weights));
        PrintWriter o = out();
        var p = r.policy();
        o.printf("imported %s %s (weights: %s, sha256 %s)%n", r.format(), source, r.weights(), r.sha256());
        o.printf("U-Net down_dims %s, step embedding %d, horizon %d, n_obs_steps %d, n_action_steps %d, obs_dim %d, action_dim %d, %s%n",
                p.unet().downDims(), p.unet().diffusionStepEmbedDim(), p.horizon(), p.nObsSteps(), p.nActionSteps(), p.obsDim(),
                p.actionDim(), p.unet().inpainting() ? "inpainting" : "global condition");
        for (String n : r.notes()) o.println("note: recorded but not yet used by the runtime: " + n);
        o.println("wrote " + r.out());
        o.flush();
        return 0;
    }
}
