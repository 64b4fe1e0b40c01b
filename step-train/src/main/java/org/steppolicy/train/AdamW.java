package org.steppolicy.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * PyTorch's AdamW (torch.optim.AdamW, non-amsgrad), applied to SameDiff parameter arrays in place.
 * <p>
 * Why not SameDiff's own Adam + weight decay: ND4J's Adam puts eps inside the bias-corrected step
 * ({@code lr·√(1−β2^t)/(1−β1^t) · m/(√v+eps)}), which is a different eps than PyTorch's
 * {@code lr/(1−β1^t) · m/(√v/√(1−β2^t)+eps)}; its updater state is only reachable after a first fit() call, so a
 * resumed run could not restore it before the first step; and its LR comes from an ISchedule keyed on an int
 * iteration counter. Owning the update makes the step, the state and the resume exact and explicit.
 * <p>
 * Per step t (1-based), per parameter: p ← p·(1 − lr·wd); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps)  (docs/reference/diffusion-policy.md §B.4).
 */
public final class AdamW {
    /** Hyper-parameters; the learning rate comes per step from the schedule. */
    public record Settings(double beta1, double beta2, double eps, double weightDecay) {
        public Settings {
            if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1)
                throw new IllegalArgumentException("Adam betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
            if (eps <= 0) throw new IllegalArgumentException("Adam eps must be > 0, got " + eps);
            if (weightDecay < 0) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
    }

    private final Settings settings;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private final Map<String, INDArray> scratch = new LinkedHashMap<>();
    private long stepCount;

    public AdamW(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() { return settings; }

    /** Optimiser steps taken so far (PyTorch's state['step']). */
    public long stepCount() { return stepCount; }

    /** One update of every parameter in {@code params} with its gradient in {@code grads}. */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        stepCount++;
        double b1 = settings.beta1(), b2 = settings.beta2();
        double bc1 = 1 - Math.pow(b1, stepCount);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, stepCount));
        double stepSize = lr / bc1;
        double decay = 1 - lr * settings.weightDecay();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            INDArray g = grads.get(name);
            if (g == null) throw new IllegalStateException("no gradient for parameter " + name);
            INDArray mi = m.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
            INDArray vi = v.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
            if (FusedUpdate.applies(p, g, mi, vi)) {
                FusedUpdate.adamW((int) p.length(), FusedUpdate.floats(p), FusedUpdate.floats(g), FusedUpdate.floats(mi), FusedUpdate.floats(vi),
                        (float) decay, (float) b1, (float) (1 - b1), (float) b2, (float) (1 - b2), (float) bc2Sqrt,
                        (float) settings.eps(), (float) -stepSize);
                continue;
            }
            INDArray tmp = scratch.computeIfAbsent(name, k -> Nd4j.create(p.dataType(), p.shape()));
            g = g.reshape(p.shape());
            if (decay != 1.0) p.muli(decay);
            mi.muli(b1);
            Nd4j.getBlasWrapper().level1().axpy(mi.length(), 1 - b1, g, mi);
            vi.muli(b2);
            tmp.assign(g).muli(g);
            Nd4j.getBlasWrapper().level1().axpy(vi.length(), 1 - b2, tmp, vi);
            tmp.assign(vi);
            Transforms.sqrt(tmp, false);
            tmp.divi(bc2Sqrt).addi(settings.eps());
            tmp.rdivi(mi);
            Nd4j.getBlasWrapper().level1().axpy(p.length(), -stepSize, tmp, p);
        }
    }

    /** First moments by parameter name (live arrays; absent before the first step). */
    public Map<String, INDArray> firstMoments() { return m; }

    /** Second moments by parameter name (live arrays). */
    public Map<String, INDArray> secondMoments() { return v; }

    /** Restores the state written by a checkpoint: step count and both moments (copied). */
    public void restore(long steps, Map<String, INDArray> firstMoments, Map<String, INDArray> secondMoments) {
        if (!firstMoments.keySet().equals(secondMoments.keySet()))
            throw new IllegalArgumentException("optimiser state: first and second moments name different parameters");
        stepCount = steps;
        m.clear();
        v.clear();
        scratch.clear();
        firstMoments.forEach((k, a) -> m.put(k, a.dup()));
        secondMoments.forEach((k, a) -> v.put(k, a.dup()));
    }
}
