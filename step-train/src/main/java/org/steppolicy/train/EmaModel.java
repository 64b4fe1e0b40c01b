package org.steppolicy.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Diffusion Policy's EMA of the parameters (model/diffusion/ema_model.py; docs/reference/diffusion-policy.md §B.4), kept outside the
 * graph. {@code updates} counts prior EMA updates (the reference's optimization_step);
 * decay(n) = 0 when n − after − 1 ≤ 0, else clamp(1 − (1 + (n − after − 1)/invGamma)^(−power), min, max).
 */
public final class EmaModel {
    /** Reference defaults: power 0.75, inv_gamma 1, min 0, max 0.9999, update_after_step 0 (§B.1). */
    public record Settings(double power, double invGamma, double minDecay, double maxDecay, long updateAfterStep) {
        public static Settings diffusionPolicy() { return new Settings(0.75, 1.0, 0.0, 0.9999, 0); }
    }

    private final Settings settings;
    private final Map<String, INDArray> averages = new LinkedHashMap<>();
    private long updates;

    /** Starts as a copy of {@code params}, as the reference deep-copies the model. */
    public EmaModel(Settings settings, Map<String, INDArray> params) {
        this.settings = settings;
        params.forEach((k, p) -> averages.put(k, p.dup()));
    }

    public double decay(long n) {
        long step = Math.max(0, n - settings.updateAfterStep() - 1);
        if (step <= 0) return 0.0;
        double value = 1 - Math.pow(1 + step / settings.invGamma(), -settings.power());
        return Math.max(settings.minDecay(), Math.min(value, settings.maxDecay()));
    }

    /** ema ← decay·ema + (1 − decay)·param for every parameter, then counts the update. */
    public void update(Map<String, INDArray> params) {
        double d = decay(updates);
        for (Map.Entry<String, INDArray> e : averages.entrySet()) {
            INDArray p = params.get(e.getKey());
            if (p == null) throw new IllegalStateException("EMA: no parameter " + e.getKey());
            INDArray ema = e.getValue();
            if (FusedUpdate.applies(ema, p)) {
                FusedUpdate.ema((int) ema.length(), FusedUpdate.floats(ema), FusedUpdate.floats(p), (float) d, (float) (1 - d));
                continue;
            }
            ema.muli(d);
            Nd4j.getBlasWrapper().level1().axpy(ema.length(), 1 - d, p.reshape(ema.shape()), ema);
        }
        updates++;
    }

    public long updates() { return updates; }

    /** The averaged parameters (live arrays). */
    public Map<String, INDArray> averages() { return averages; }

    public void restore(long updateCount, Map<String, INDArray> values) {
        if (!values.keySet().equals(averages.keySet()))
            throw new IllegalArgumentException("EMA state names other parameters than the model");
        updates = updateCount;
        values.forEach((k, a) -> averages.get(k).assign(a.reshape(averages.get(k).shape())));
    }
}
