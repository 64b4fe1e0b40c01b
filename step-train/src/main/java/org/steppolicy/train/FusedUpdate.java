package org.steppolicy.train;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * AdamW and EMA updates as single Java passes over the arrays' native float memory, instead of 13 (AdamW) and 2 (EMA)
 * ND4J ops per parameter tensor, each a full read/write pass plus an op call. Same float arithmetic as PyTorch's
 * single-tensor AdamW (torch.optim.AdamW, foreach off): p·(1 − lr·wd); m·β1 + (1−β1)·g; v·β2 + (1−β2)·g·g;
 * p + (−lr/bc1)·m / (√v / √bc2 + eps). Used only for dense 'c'-order float arrays of equal length (everything the
 * trainer holds); anything else takes the ND4J path. docs/performance.md, "Training step, third pass".
 */
final class FusedUpdate {
    private FusedUpdate() {}

    /** Off only in same-process A/B benches ({@code UpdateBench}). */
    static volatile boolean enabled = true;

    static boolean applies(INDArray... arrays) {
        if (!enabled) return false;
        long n = arrays[0].length();
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || a.isView() || a.ordering() != 'c' || a.offset() != 0 || a.length() != n
                    || a.length() > Integer.MAX_VALUE || a.data().length() < n)
                return false;
        }
        return true;
    }

    /** A view (not a copy) of the array's native memory. */
    static FloatBuffer floats(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    static void adamW(int n, FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, float decay, float b1, float oneMinusB1,
                      float b2, float oneMinusB2, float bc2Sqrt, float eps, float negStep) {
        for (int i = 0; i < n; i++) {
            float gi = g.get(i);
            float pi = p.get(i) * decay;
            float mi = m.get(i) * b1 + oneMinusB1 * gi;
            float vi = v.get(i) * b2 + oneMinusB2 * gi * gi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            m.put(i, mi);
            v.put(i, vi);
            p.put(i, pi + negStep * (mi / denom));
        }
    }

    static void ema(int n, FloatBuffer ema, FloatBuffer p, float decay, float oneMinusDecay) {
        for (int i = 0; i < n; i++) ema.put(i, ema.get(i) * decay + oneMinusDecay * p.get(i));
    }
}
