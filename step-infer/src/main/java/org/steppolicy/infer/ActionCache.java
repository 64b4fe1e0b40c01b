package org.steppolicy.infer;

/**
 * The last two action chunks the policy produced, normalised, [H·Da] each: the latest feeds the STEP predictor and
 * the Falcon-style start, the pair feeds the stall test (docs/reference/step-method.md, Algorithm 1 step 4 and Eq. 14).
 */
public final class ActionCache {
    private float[] latest;
    private float[] previous;
    private int count;

    public ActionCache(int chunkSize) {
        latest = new float[chunkSize];
        previous = new float[chunkSize];
    }

    public void clear() { count = 0; }

    /** Number of chunks held, 0, 1 or 2. */
    public int size() { return count; }

    public void push(float[] chunk) {
        float[] t = previous;
        previous = latest;
        latest = t;
        System.arraycopy(chunk, 0, latest, 0, latest.length);
        count = Math.min(count + 1, 2);
    }

    public float[] latest() {
        if (count < 1) throw new IllegalStateException("action cache is empty");
        return latest;
    }

    public float[] previous() {
        if (count < 2) throw new IllegalStateException("action cache holds fewer than two chunks");
        return previous;
    }
}
