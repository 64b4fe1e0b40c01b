package org.steppolicy.train;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.CvaeDecoderNet;
import org.steppolicy.models.SameDiffBuilder;
import org.steppolicy.models.TensorStore;

/**
 * Where BRIDGeR's training draws its source chunks x0 (docs/bridger.md), given each window's observation condition;
 * every draw comes from the step's random stream, so a resumed run draws the same x0.
 */
@FunctionalInterface
public interface BridgerSource {
    /** Fills x0 [batch, horizon·Da] for the conditions cond [batch, condDim]. */
    void sample(float[] cond, int batch, SplittableRandom random, float[] x0);

    /** x0 ~ N(0, I) in normalised action space. */
    BridgerSource GAUSSIAN = (cond, batch, random, x0) -> {
        for (int i = 0; i < x0.length; i++) x0[i] = (float) random.nextGaussian();
    };

    /** x0 from a trained CVAE's decoder with z ~ N(0, I), conditioned on the same observation (the weights fixed). */
    static BridgerSource cvae(CvaeDecoderNet decoder, TensorStore weights) {
        SameDiff sd = SameDiffBuilder.build(decoder, decoder.select(weights), false);
        int L = decoder.arch().latentDim(), C = decoder.arch().condDim(), H = decoder.arch().horizon(), Da = decoder.arch().actionDim();
        long[] calls = {0};
        return (cond, batch, random, x0) -> {
            // SameDiff's inference session leaks per call (docs/reference/runtime-notes.md, trap 3): cleared as step-infer's SameDiffModel does
            if (++calls[0] % 200 == 0) sd.getSessions().clear();
            float[] z = new float[batch * L];
            for (int i = 0; i < z.length; i++) z[i] = (float) random.nextGaussian();
            INDArray zs = Nd4j.create(z, new long[] {batch, L}, 'c'), cs = Nd4j.create(cond, new long[] {batch, C}, 'c');
            INDArray out = sd.output(Map.of(CvaeDecoderNet.LATENT, zs, ConditionalUnet1d.GLOBAL_COND, cs), CvaeDecoderNet.OUTPUT)
                    .get(CvaeDecoderNet.OUTPUT);
            float[] v = out.dup('c').data().asFloat();
            if (v.length != batch * H * Da) throw new IllegalStateException("CVAE decoder gave " + v.length + " values");
            System.arraycopy(v, 0, x0, 0, v.length);
        };
    }
}
