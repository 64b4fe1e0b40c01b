package org.steppolicy.importer;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.steppolicy.config.UserError;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.ParamSpec;
import org.steppolicy.models.TensorStore;
import org.steppolicy.models.UnetConfig;

/**
 * Fills the native U-Net's parameters from an upstream state dict: every parameter the configured
 * {@link ConditionalUnet1d} declares must be there under its upstream name, with the PyTorch shape the configuration
 * implies, so a config that disagrees with the tensors fails on the first differing key.
 */
final class UnetWeights {

    /** Upstream tensors by key. */
    interface Source {
        /** PyTorch shape, or null when absent. */
        long[] shape(String key);

        float[] floats(String key);
    }

    private UnetWeights() {}

    /**
     * @param upstreamKey native parameter name (diffusion_policy's ConditionalUnet1D key) to the key in {@code src}
     * @param section how to name {@code src} in messages ("state_dicts.ema_model")
     */
    static TensorStore convert(UnetConfig cfg, int horizon, Source src, Function<String, String> upstreamKey, String section) {
        ConditionalUnet1d net;
        try {
            net = new ConditionalUnet1d(cfg, horizon);
        } catch (IllegalArgumentException e) {
            throw new UserError("unsupported architecture: " + e.getMessage());
        }
        TensorStore out = new TensorStore();
        for (Map.Entry<String, ParamSpec> e : net.parameters().entrySet()) {
            String key = upstreamKey.apply(e.getKey());
            long[] nativeShape = e.getValue().shape();
            long[] want = TorchLayout.torchShape(nativeShape);
            long[] have = src.shape(key);
            if (have == null) throw new UserError(section + " lacks " + key + ", which the config's U-Net (" + describe(cfg, horizon) + ") has");
            if (!Arrays.equals(have, want))
                throw new UserError(section + " " + key + " has shape " + Arrays.toString(have) + ", the config (" + describe(cfg, horizon)
                        + ") implies " + Arrays.toString(want));
            out.put(e.getKey(), nativeShape, TorchLayout.toNative(src.floats(key), nativeShape));
        }
        return out;
    }

    /** The upstream keys {@link #convert} reads, in the native parameter order. */
    static List<String> keys(UnetConfig cfg, int horizon, Function<String, String> upstreamKey) {
        return new ConditionalUnet1d(cfg, horizon).parameters().keySet().stream().map(upstreamKey).toList();
    }

    static String describe(UnetConfig c, int horizon) {
        return "down_dims " + c.downDims() + ", kernel_size " + c.kernelSize() + ", n_groups " + c.nGroups()
                + ", diffusion_step_embed_dim " + c.diffusionStepEmbedDim() + ", cond_predict_scale " + c.condPredictScale()
                + ", input_dim " + c.inputDim() + ", global_cond_dim " + c.globalCondDim() + ", horizon " + horizon;
    }
}
