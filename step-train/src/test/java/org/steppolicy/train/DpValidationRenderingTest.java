package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.models.ImageDiffusionPolicy;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.ImageSpecs;
import org.steppolicy.models.SameDiffBuilder;
import org.steppolicy.models.TensorStore;

/**
 * The image DP validates on the inference rendering (plain conv2d, few ops) with the training graph's parameters
 * copied in: its loss must equal the loss the training rendering (convolutions as GEMMs) gives, and follow the
 * parameters as they change.
 */
class DpValidationRenderingTest {
    @Test
    void inferenceRenderingGivesTheTrainingGraphsValidationLoss() {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht_image-small.yaml"), List.of("policy.down_dims=[8,16]",
                "policy.diffusion_step_embed_dim=16", "policy.obs_feature_dim=8", "training.batch_size=2", "task.crop_shape=[32,32]"));
        DpTrainSettings s = TrainSettings.dp(c, 2, 1000L);
        ImageObsSpec spec = ImageSpecs.dp(c);
        int Da = c.task().actionDim();
        ImageDiffusionPolicy net = DpTask.imagePolicy(s, spec, Da);
        TensorStore init = net.initParams(s.seed());
        // flat windows (low-dim values then pixels per step), as the bench feeds them; 5 windows: batches of 2 and 3.
        // Each pass on the training graph costs seconds (the slowness this avoids), so there is only one.
        WindowSource train = TrainBench.randomWindows(4, s.horizon(), spec.stepDim(), Da, 1);
        WindowSource valid = TrainBench.randomWindows(5, s.horizon(), spec.stepDim(), Da, 2);
        DpTask onTraining = new DpTask(s, train, valid, "{}", training -> SameDiffBuilder.build(net, init, true));
        DpTask onInference = new DpTask(s, train, valid, "{}", training -> SameDiffBuilder.build(net, init, true))
                .validateOn(() -> SameDiffBuilder.build(net, init, false));

        Map<String, INDArray> live = onInference.graph().params();
        double atInit = onInference.validationLoss(live);

        // It is another graph, the one with few ops, holding copies of the parameters.
        TrainGraph v = onInference.validationGraph(live);
        assertNotSame(onInference.graph(), v);
        assertSame(onTraining.graph(), onTraining.validationGraph(onTraining.graph().params()));
        int trainingOps = opCount(onInference.graph().sameDiff()), validationOps = opCount(v.sameDiff());
        assertTrue(validationOps * 2 < trainingOps, "validation graph " + validationOps + " ops, training graph " + trainingOps);
        assertTrue(hasOp(v.sameDiff(), "conv2d") && !hasOp(onInference.graph().sameDiff(), "conv2d"),
                "validation on ND4J's conv2d, training on GEMMs");

        // Parameters as after training (each one moved): both ways follow them, and agree.
        Nd4j.getRandom().setSeed(3);
        for (String name : live.keySet()) {
            INDArray p = live.get(name);
            INDArray moved = p.add(Nd4j.rand(p.dataType(), p.shape()).subi(0.5).muli(0.2));
            p.assign(moved);
            onTraining.graph().params().get(name).assign(moved);
        }
        double trained = onTraining.validationLoss(onTraining.graph().params());
        double viaInference = onInference.validationLoss(live);
        assertTrue(Math.abs(trained - atInit) > 1e-2 * Math.abs(atInit), "the moved parameters change the loss: " + atInit + " -> " + trained);
        assertEquals(trained, viaInference, 1e-5 * Math.max(1, Math.abs(trained)));
    }

    private static int opCount(SameDiff sd) {
        return sd.getOps().size();
    }

    private static boolean hasOp(SameDiff sd, String opName) {
        for (SameDiffOp op : sd.getOps().values()) if (op.getOp().opName().equals(opName)) return true;
        return false;
    }
}
