package org.steppolicy.train;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small stand-in networks with the contract's input/output names, for fast trainer tests. */
final class ToyNets {
    private ToyNets() {}

    /** sample [B,T,D], timestep [B], global_cond [B,C] (when C > 0) -> noise_pred [B,T,D], via a 1-hidden-layer MLP. */
    static GraphFactory denoiser(int T, int D, int C, int hidden, long seed) {
        return training -> {
            SameDiff sd = SameDiff.create();
            SplittableRandom rng = new SplittableRandom(seed);
            SDVariable sample = sd.placeHolder(DpTask.SAMPLE, DataType.FLOAT, -1, T, D);
            SDVariable t = sd.placeHolder(DpTask.TIMESTEP, DataType.FLOAT, -1);
            SDVariable x = sample.reshape(-1, T * D);
            SDVariable tt = t.reshape(-1, 1).mul(0.01);
            int in = T * D + 1;
            if (C > 0) {
                SDVariable c = sd.placeHolder(DpTask.GLOBAL_COND, DataType.FLOAT, -1, C);
                x = sd.concat(1, x, tt, c);
                in += C;
            } else {
                x = sd.concat(1, x, tt);
            }
            SDVariable h = sd.math.tanh(sd.nn.linear(x, var(sd, "l1.weight", rng, in, hidden), var(sd, "l1.bias", rng, hidden)));
            SDVariable o = sd.nn.linear(h, var(sd, "l2.weight", rng, hidden, T * D), var(sd, "l2.bias", rng, T * D));
            sd.identity(DpTask.OUTPUT, o.reshape(-1, T, D));
            return sd;
        };
    }

    static SDVariable var(SameDiff sd, String name, SplittableRandom rng, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] v = new float[(int) n];
        double bound = 1 / Math.sqrt(shape[0]);
        for (int i = 0; i < v.length; i++) v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        INDArray a = Nd4j.create(v, shape, 'c');
        return sd.var(name, a);
    }

    /** Random normalised windows: obs [T,Do], action [T,Da], prev [T,Da]. */
    static WindowSource randomWindows(int n, int T, int Do, int Da, long seed) {
        float[][] obs = new float[n][T * Do], act = new float[n][T * Da], prev = new float[n][T * Da];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < T * Do; k++) obs[i][k] = (float) (r.nextDouble() * 2 - 1);
            for (int k = 0; k < T * Da; k++) { act[i][k] = (float) (r.nextDouble() * 2 - 1); prev[i][k] = (float) (r.nextDouble() * 2 - 1); }
        }
        return new ArrayWindows(T, Do, Da, obs, act, prev);
    }

    record ArrayWindows(int horizon, int obsDim, int actionDim, float[][] obs, float[][] act, float[][] prev) implements WindowSource {
        @Override public int size() { return obs.length; }
        @Override public void window(int i, float[] o, int oo, float[] a, int ao, float[] p, int po) {
            System.arraycopy(obs[i], 0, o, oo, obs[i].length);
            System.arraycopy(act[i], 0, a, ao, act[i].length);
            if (p != null) System.arraycopy(prev[i], 0, p, po, prev[i].length);
        }
    }
}
