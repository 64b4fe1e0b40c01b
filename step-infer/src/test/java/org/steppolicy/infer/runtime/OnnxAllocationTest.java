package org.steppolicy.infer.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;

/**
 * The ONNX runtimes reuse their direct buffers and pinned output tensors: a call allocates on the Java heap only
 * what ORT's Java API forces (the Result wrapper and its small maps, a few hundred bytes), independent of the
 * tensor sizes. Measured with the JVM's per-thread allocation counter.
 */
class OnnxAllocationTest {
    /** Java heap bytes per call allowed: the Result object and its maps, not any tensor-sized array. */
    static final long MAX_BYTES_PER_CALL = 1024;

    @Test
    void denoiserAndPredictorCallsAllocateOnlyOrtsResultWrapper() {
        ConditionalUnet1d net = TinyNets.unet();
        PredictorNetConfig pc = TinyNets.predictor(PredictorNetConfig.Kind.STEP);
        try (Denoiser d = OnnxDenoiser.of(net, net.initParams(1), 1);
             ChunkPredictor p = PolicyLoader.predictor(PredictorLoader.bundle(pc, new StepPredictorNet(pc).initParams(2), null),
                     RuntimeKind.ONNX, 1)) {
            float[] x = new float[32], cond = new float[40], out = new float[32];
            int[] t = {3};
            long perDenoise = perCall(() -> d.predict(x, t, cond, 1, out));
            long perPredict = perCall(() -> p.predict(cond, x, 1, out));
            System.out.println("ONNX heap allocation per call: denoiser " + perDenoise + " B, predictor " + perPredict + " B");
            assertTrue(perDenoise <= MAX_BYTES_PER_CALL, "denoiser allocates " + perDenoise + " B per call");
            assertTrue(perPredict <= MAX_BYTES_PER_CALL, "predictor allocates " + perPredict + " B per call");
        }
    }

    private static long perCall(Runnable call) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200; i++) call.run();   // JIT and ORT's first-run setup
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        int n = 500;
        for (int i = 0; i < n; i++) call.run();
        return (mx.getThreadAllocatedBytes(tid) - before) / n;
    }
}
