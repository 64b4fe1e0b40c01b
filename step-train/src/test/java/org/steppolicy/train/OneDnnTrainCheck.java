package org.steppolicy.train;

import java.io.File;
import java.nio.file.Path;
import java.util.*;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.models.ImageSpecs;

/**
 * Not a test: the image DP's float32 training step (loss and every gradient) for two feeds, three passes each, for
 * checking the {@code -Ponednn} build's platform helpers (docs/performance.md). "save DIR" writes the first pass;
 * "compare DIR" compares every pass with what was saved. Run the two in separate processes (a SameDiff op context keeps
 * the helper setting it was created with), e.g. {@code SD_FORBID_HELPERS=1 ... save DIR cfg}, then
 * {@code STEP_ND4J_NO_HELPERS=xw_plus_b,xw_plus_b_bp,concat ... compare DIR cfg}.
 * Usage: java ... OneDnnTrainCheck save|compare DIR configs/pusht_image-small.yaml [key=value overrides ...]
 */
public final class OneDnnTrainCheck {
    public static void main(String[] args) throws Exception {
        String mode = args[0]; File dir = new File(args[1]); dir.mkdirs();
        StepConfig c = ConfigLoader.load(Path.of(args[2]), Arrays.asList(args).subList(3, args.length));
        DpTrainSettings s = TrainSettings.dp(c, c.training().batchSize(), 1000L);
        DpTask task = TrainBench.imageTask(s, ImageSpecs.dp(c), c.task().actionDim());
        TrainGraph g = task.graph();
        System.out.println("helpersAllowed " + Nd4j.getEnvironment().helpersAllowed() + ", STEP_ND4J_NO_HELPERS=" + System.getenv("STEP_ND4J_NO_HELPERS"));
        List<Map<String, INDArray>> feeds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, INDArray> f = new HashMap<>();
            task.trainFeed(i).forEach((k, v) -> f.put(k, v.dup()));
            feeds.add(f);
        }
        for (int rep = 0; rep < 3; rep++) for (int i = 0; i < feeds.size(); i++) {
            TrainGraph.Result r = g.lossAndGradients(new HashMap<>(feeds.get(i)));
            if (mode.equals("save")) {
                if (rep == 0) {
                    for (var e : r.gradients().entrySet()) Nd4j.saveBinary(e.getValue().dup('c'), new File(dir, i + "_" + e.getKey()));
                    Nd4j.saveBinary(Nd4j.scalar(r.loss()), new File(dir, i + "_LOSS"));
                }
                System.out.printf(Locale.ROOT, "pass %d feed %d loss %.6f%n", rep, i, r.loss());
            } else {
                double worst = 0; String at = "";
                for (var e : r.gradients().entrySet()) {
                    INDArray x = Nd4j.readBinary(new File(dir, i + "_" + e.getKey())), y = e.getValue();
                    double d = x.castTo(DataType.DOUBLE).sub(y.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / Math.max(1e-30, x.amaxNumber().doubleValue());
                    if (d > worst) { worst = d; at = e.getKey(); }
                }
                double ref = Nd4j.readBinary(new File(dir, i + "_LOSS")).getDouble(0);
                System.out.printf(Locale.ROOT, "pass %d feed %d: loss %.6f vs %.6f; worst gradient difference %.2e of its tensor's scale (%s; %d tensors)%n", rep, i, r.loss(), ref, worst, at, r.gradients().size());
            }
            r.close();
        }
    }
}
