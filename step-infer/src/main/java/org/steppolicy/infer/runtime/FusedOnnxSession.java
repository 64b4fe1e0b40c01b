package org.steppolicy.infer.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.steppolicy.infer.PolicyShape;

/**
 * {@value FusedOnnx#FILE} on ONNX Runtime (Java), batch 1: one call in, the raw actions and chunk out. For tests and
 * for the cross-runtime check; a Java control loop uses {@link org.steppolicy.infer.policy.StepPolicy}.
 * Not thread-safe.
 */
public final class FusedOnnxSession implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final PolicyShape shape;

    /** One call's outputs: actions [Ta][Da] and chunk [H*Da], raw. */
    public record Output(float[][] actions, float[] chunk) {}

    public FusedOnnxSession(byte[] model, PolicyShape shape, int threads) {
        this.shape = shape;
        try {
            session = OrtModel.open(env, model, threads);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the fused model: " + e.getMessage(), e);
        }
    }

    /**
     * @param obs       [To*Do] raw, time-major
     * @param prevChunk [H*Da] raw (ignored on the first call and by ddim)
     * @param noise     [H*Da] standard-normal draws
     */
    public Output run(float[] obs, float[] prevChunk, float[] noise, boolean firstCall) {
        int to = shape.obsSteps(), h = shape.horizon(), da = shape.actionDim();
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        try {
            in.put(FusedOnnx.OBS, OnnxTensor.createTensor(env, FloatBuffer.wrap(obs), new long[] {1, to, shape.obsDim()}));
            in.put(FusedOnnx.PREV_CHUNK, OnnxTensor.createTensor(env, FloatBuffer.wrap(prevChunk), new long[] {1, h, da}));
            in.put(FusedOnnx.NOISE, OnnxTensor.createTensor(env, FloatBuffer.wrap(noise), new long[] {1, h, da}));
            in.put(FusedOnnx.FIRST_CALL, OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {firstCall ? 1f : 0f}), new long[] {1}));
            try (OrtSession.Result r = session.run(in)) {
                float[][][] a = (float[][][]) r.get(FusedOnnx.ACTIONS).orElseThrow().getValue();
                FloatBuffer c = ((OnnxTensor) r.get(FusedOnnx.CHUNK).orElseThrow()).getFloatBuffer();
                float[] chunk = new float[h * da];
                c.get(chunk);
                return new Output(a[0], chunk);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }
}
