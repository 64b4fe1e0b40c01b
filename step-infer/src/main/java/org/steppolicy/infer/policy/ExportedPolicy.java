package org.steppolicy.infer.policy;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.Method;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.infer.runtime.OnnxExportFolder;
import org.steppolicy.infer.runtime.RuntimeKind;

/** An export-onnx folder: its own predictors (predictor.onnx and any predictor-KIND.onnx) are the only ones. */
record ExportedPolicy(OnnxExportFolder folder) implements TrainedPolicy {

    static ExportedPolicy read(Path dir, List<Path> predictorDirs) {
        if (!predictorDirs.isEmpty())
            throw TrainedPolicy.predictorsWithExport(dir);
        return new ExportedPolicy(OnnxExportFolder.read(dir));
    }

    @Override
    public PolicyShape shape() { return folder.shape(); }

    @Override
    public String source() { return folder.dir().toString(); }

    @Override
    public org.steppolicy.infer.runtime.PolicyBundle checkpoint() { return null; }

    @Override
    public List<org.steppolicy.infer.runtime.PredictorBundle> predictorBundles() { return List.of(); }

    @Override
    public OnnxExportFolder.ImageInput image() { return folder.image(); }

    @Override
    public SchedulerConfig scheduler() { return folder.scheduler(); }

    @Override
    public String provenance() {
        var kinds = folder.predictorKinds();
        return "onnx export " + folder.dir() + (kinds.isEmpty() ? ""
                : kinds.size() == 1 ? " with a " + kinds.iterator().next() + " predictor"
                : " with " + String.join(" and ", kinds) + " predictors");
    }

    @Override
    public java.util.Set<String> predictorKinds() {
        return folder.predictorKinds();
    }

    @Override
    public PolicyModels open(Method method, RuntimeKind runtime, int threads) {
        if (runtime != RuntimeKind.ONNX)
            throw new UserError(folder.dir() + ": an export-onnx folder runs on ONNX Runtime only, not " + runtime.id());
        requirePredictor(method.label(), method);
        String kind = method.predictorKind();
        return folder.open(kind, threads);
    }
}
