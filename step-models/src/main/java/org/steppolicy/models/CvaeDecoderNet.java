package org.steppolicy.models;

import java.util.List;

/**
 * The CVAE's decoder alone, p(chunk | cond, z): inputs {@value #LATENT} [B, latent] (z ~ N(0, I) when sampling)
 * and {@code global_cond} [B, To·Do]; output {@value #OUTPUT} [B, horizon, Da], a normalised action chunk. Its
 * parameters are the training graph's {@code decoder.*}, so a CVAE checkpoint's weights feed it as they are.
 */
public final class CvaeDecoderNet implements NetworkDefinition {
    public static final String LATENT = "latent", OUTPUT = "source_chunk";

    private final CvaeArch arch;

    CvaeDecoderNet(CvaeArch arch) {
        this.arch = arch;
    }

    public CvaeArch arch() { return arch; }

    @Override
    public <T> void define(NetBuilder<T> b) {
        T z = b.input(LATENT, -1, arch.latentDim());
        T cond = b.input(ConditionalUnet1d.GLOBAL_COND, -1, arch.condDim());
        b.output(OUTPUT, arch.decode(b, z, cond));
    }

    @Override
    public List<String> inputNames() {
        return List.of(LATENT, ConditionalUnet1d.GLOBAL_COND);
    }

    @Override
    public String outputName() { return OUTPUT; }

    /** The decoder's own tensors out of a store holding more (a CVAE checkpoint's encoder too). */
    public TensorStore select(TensorStore all) {
        TensorStore out = new TensorStore();
        for (String n : parameters().keySet()) {
            if (!all.contains(n)) throw new IllegalArgumentException("CVAE weights lack " + n);
            TensorStore.Tensor t = all.get(n);
            out.put(n, t.shape(), t.data());
        }
        return out;
    }

    /** The ONNX rendering with these weights (opset 17, dynamic batch). */
    public onnx.Onnx.ModelProto toOnnx(TensorStore params) {
        return OnnxBuilder.export(this, params, "bridger_source");
    }
}
