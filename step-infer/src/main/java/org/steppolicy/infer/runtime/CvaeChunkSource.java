package org.steppolicy.infer.runtime;

import java.nio.FloatBuffer;
import java.util.List;
import org.steppolicy.infer.ChunkSource;
import org.steppolicy.infer.GaussianNoise;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.CvaeDecoderNet;
import org.steppolicy.models.TensorStore;

/** The CVAE source (docs/bridger.md): z ~ N(0, I) from the sampler's noise, then the decoder p(chunk | cond, z). */
public final class CvaeChunkSource implements ChunkSource {
    private static final List<String> INPUTS = List.of(CvaeDecoderNet.LATENT, ConditionalUnet1d.GLOBAL_COND);

    private final CompiledNet net;
    private final int latentDim, condDim, chunk;
    private float[] z = new float[0];

    private CvaeChunkSource(CompiledNet net) {
        this.net = net;
        this.latentDim = net.perItem(CvaeDecoderNet.LATENT);
        this.condDim = net.perItem(ConditionalUnet1d.GLOBAL_COND);
        this.chunk = net.perItem(CvaeDecoderNet.OUTPUT);
    }

    /** The decoder on ONNX Runtime from ModelProto bytes (an exported bridger_source.onnx or a fresh rendering). */
    public static CvaeChunkSource onnx(byte[] model, int threads) {
        return new CvaeChunkSource(new OrtModel(model, INPUTS, CvaeDecoderNet.OUTPUT, threads));
    }

    public static CvaeChunkSource onnx(CvaeDecoderNet net, TensorStore params, int threads) {
        return onnx(net.toOnnx(net.select(params)).toByteArray(), threads);
    }

    public static CvaeChunkSource sameDiff(CvaeDecoderNet net, TensorStore params) {
        return new CvaeChunkSource(new SameDiffModel(net, net.select(params), INPUTS, CvaeDecoderNet.OUTPUT, SameDiffModel.DEFAULT_CLEAR_EVERY));
    }

    /** Checks the decoder's shapes against the BRIDGeR networks it feeds. */
    public CvaeChunkSource requireShape(int horizon, int actionDim, int condDim) {
        if (chunk != horizon * actionDim || this.condDim != condDim)
            throw new IllegalArgumentException("CVAE decoder gives " + chunk + " values from a condition of " + this.condDim
                    + "; BRIDGeR needs " + horizon * actionDim + " from " + condDim);
        return this;
    }

    @Override public String name() { return "cvae"; }

    @Override
    public void sample(float[] cond, int batch, GaussianNoise noise, float[] x0) {
        if (z.length < batch * latentDim) z = new float[batch * latentDim];
        noise.fill(z, 0, batch * latentDim);
        net.input(CvaeDecoderNet.LATENT, batch).put(z, 0, batch * latentDim);
        FloatBuffer c = net.input(ConditionalUnet1d.GLOBAL_COND, batch);
        c.put(cond, 0, batch * condDim);
        net.run(batch, x0);
    }

    @Override
    public void close() {
        net.close();
    }
}
