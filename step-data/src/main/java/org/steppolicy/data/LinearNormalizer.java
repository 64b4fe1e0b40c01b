package org.steppolicy.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * DP's LinearNormalizer for one field (docs/reference/diffusion-policy.md §C): per dimension {@code y = x·scale + offset}, inverse
 * {@code x = (y − offset)/scale}, all in float32 as the reference computes it. Modes:
 * <ul>
 *   <li>{@code limits}: [min, max] → [−1, 1] per dim; a dim whose range is below range_eps (1e-4) gets scale 1,
 *       offset −min (Push-T obs and action);</li>
 *   <li>{@code global_scale}: one scale 1/max(max_d max, max_d |min|) for every dim, offset 0 (RoboMimic obs);</li>
 *   <li>{@code identity}: scale 1, offset 0 (RoboMimic delta actions);</li>
 *   <li>{@code abs_position}: the position dims (first 3 per arm) range-normalised with range_eps 1e-7, the rest
 *       (rot6d, gripper) identity; more than 10 dims means two arms laid out [pos0, other0, pos1, other1]
 *       (RoboMimic abs actions);</li>
 *   <li>{@code affine}: scale and offset as given, not fit from data (a policy imported from PyTorch whose
 *       normaliser is none of the above, or one read back from a checkpoint or an ONNX export for inference).</li>
 * </ul>
 * The one normaliser type of the project: training fits, saves and applies it in place in float32 (the reference's
 * arithmetic); inference applies it one value at a time in float64, rounded to float once
 * ({@link #normalize(int, double)}, {@link #unnormalize(int, float)}), which is what the fused ONNX graph computes.
 */
public final class LinearNormalizer {
    public static final String LIMITS = "limits", GLOBAL_SCALE = "global_scale", IDENTITY = "identity",
            ABS_POSITION = "abs_position";
    public static final List<String> MODES = List.of(LIMITS, GLOBAL_SCALE, IDENTITY, ABS_POSITION);
    /** Given scale and offset; never fit, so not one of {@link #MODES}. */
    public static final String AFFINE = "affine";

    /** §C: {@code _fit(..., range_eps=1e-4)}. */
    public static final float LIMITS_RANGE_EPS = 1e-4f;
    /** §C: {@code robomimic_abs_action_only_normalizer_from_stat}'s position range_eps. */
    public static final float ABS_POSITION_RANGE_EPS = 1e-7f;
    /** §C/§D.1: abs actions are [pos3, rot6d, gripper1] = 10 per arm. */
    private static final int ABS_ARM_DIMS = 10, ABS_POS_DIMS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String mode;
    private final float[] scale;
    private final float[] offset;
    private final float[] inputMin;
    private final float[] inputMax;

    private LinearNormalizer(String mode, float[] scale, float[] offset, float[] inputMin, float[] inputMax) {
        if (scale.length != offset.length) throw new IllegalArgumentException("scale and offset lengths differ");
        this.mode = mode;
        this.scale = scale;
        this.offset = offset;
        this.inputMin = inputMin;
        this.inputMax = inputMax;
    }

    /** Fits a normaliser of the given mode on every row of every episode's matrix (obs or actions). */
    public static LinearNormalizer fit(String mode, List<float[][]> data) {
        int dim = -1;
        float[] min = null, max = null;
        for (float[][] rows : data) {
            for (float[] r : rows) {
                if (min == null) {
                    dim = r.length;
                    min = r.clone();
                    max = r.clone();
                }
                if (r.length != dim) throw new IllegalArgumentException("rows of " + r.length + " and " + dim + " values");
                for (int j = 0; j < dim; j++) {
                    if (r[j] < min[j]) min[j] = r[j];
                    if (r[j] > max[j]) max[j] = r[j];
                }
            }
        }
        if (min == null) throw new IllegalArgumentException("no data to fit a normaliser on");
        return fromStats(mode, min, max);
    }

    /** Builds the normaliser of a mode from per-dimension min and max. */
    public static LinearNormalizer fromStats(String mode, float[] min, float[] max) {
        int d = min.length;
        float[] scale = new float[d], offset = new float[d];
        switch (mode) {
            case LIMITS -> rangeToUnit(min, max, 0, d, LIMITS_RANGE_EPS, scale, offset);
            case GLOBAL_SCALE -> {
                float maxAbs = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < d; j++) maxAbs = Math.max(maxAbs, Math.max(max[j], Math.abs(min[j])));
                // numpy: np.maximum(max.max(), abs(min).max()) then 1/max_abs, in float32
                java.util.Arrays.fill(scale, 1f / maxAbs);
            }
            case IDENTITY -> java.util.Arrays.fill(scale, 1f);
            case ABS_POSITION -> {
                java.util.Arrays.fill(scale, 1f);
                int arms = d > ABS_ARM_DIMS ? 2 : 1;       // DP: shape[-1] > 10 means dual arm
                for (int a = 0; a < arms; a++) {
                    int from = a * ABS_ARM_DIMS;
                    rangeToUnit(min, max, from, Math.min(d, from + ABS_POS_DIMS), ABS_POSITION_RANGE_EPS, scale, offset);
                }
            }
            default -> throw new IllegalArgumentException("unknown normaliser mode '" + mode + "' (modes: "
                    + String.join(", ", MODES) + ")");
        }
        return new LinearNormalizer(mode, scale, offset, min.clone(), max.clone());
    }

    /** §C limits with output [−1, 1], in float32 like torch/numpy. */
    private static void rangeToUnit(float[] min, float[] max, int from, int to, float rangeEps, float[] scale,
                                    float[] offset) {
        final float outMax = 1f, outMin = -1f;
        for (int j = from; j < to; j++) {
            float range = max[j] - min[j];
            boolean ignore = range < rangeEps;
            if (ignore) range = outMax - outMin;
            scale[j] = (outMax - outMin) / range;
            offset[j] = ignore ? (outMax + outMin) / 2 - min[j] : outMin - scale[j] * min[j];
        }
    }

    /**
     * A normaliser with the given per-dimension scale and offset (kept exactly: an imported checkpoint's values),
     * labelled {@code mode} ({@link #AFFINE} or one of {@link #MODES} when the values are what that mode fits).
     */
    public static LinearNormalizer of(String mode, float[] scale, float[] offset, float[] inputMin, float[] inputMax) {
        if (!MODES.contains(mode) && !AFFINE.equals(mode)) throw new IllegalArgumentException("unknown normaliser mode '" + mode + "'");
        int d = scale.length;
        if (offset.length != d || inputMin.length != d || inputMax.length != d)
            throw new IllegalArgumentException("scale, offset, input_min and input_max need " + d + " values each");
        return new LinearNormalizer(mode, scale.clone(), offset.clone(), inputMin.clone(), inputMax.clone());
    }

    public static LinearNormalizer identity(int dim) {
        return fromStats(IDENTITY, new float[dim], new float[dim]);
    }

    /**
     * An {@link #AFFINE} normaliser from scale and offset alone (a checkpoint's normalizer.json or an ONNX export's
     * sidecar, read for inference: the mode and input range do not matter once these are known). Each scale must be
     * finite and non-zero. The input range is the one that maps onto [−1, 1].
     */
    public static LinearNormalizer affine(float[] scale, float[] offset) {
        if (scale.length != offset.length)
            throw new IllegalArgumentException("normaliser scale has " + scale.length + " dims, offset " + offset.length);
        float[] min = new float[scale.length], max = new float[scale.length];
        for (int d = 0; d < scale.length; d++) {
            float s = scale[d];
            if (!(s != 0f && Float.isFinite(s))) throw new IllegalArgumentException("normaliser scale must be finite and non-zero");
            float lo = (-1f - offset[d]) / s, hi = (1f - offset[d]) / s;
            min[d] = Math.min(lo, hi);
            max[d] = Math.max(lo, hi);
        }
        return new LinearNormalizer(AFFINE, scale.clone(), offset.clone(), min, max);
    }

    public String mode() { return mode; }

    public int dim() { return scale.length; }

    public float[] scale() { return scale.clone(); }

    public float[] offset() { return offset.clone(); }

    public float[] inputMin() { return inputMin.clone(); }

    public float[] inputMax() { return inputMax.clone(); }

    /** Normalises, in place, {@code len} values (whole rows of dim()) of {@code x} from {@code off}. */
    public void normalize(float[] x, int off, int len) {
        checkRows(len);
        int d = scale.length;
        for (int i = 0; i < len; i++) {
            int j = i % d;
            x[off + i] = x[off + i] * scale[j] + offset[j];
        }
    }

    public void normalize(float[] x) { normalize(x, 0, x.length); }

    /** Inference: normalises one raw observation raw[0..dim) into out[off .. off+dim), each in float64 then rounded. */
    public void normalize(double[] raw, float[] out, int off) {
        for (int d = 0; d < scale.length; d++) out[off + d] = (float) (raw[d] * scale[d] + offset[d]);
    }

    /** Inference: dimension d of a raw value, normalised in float64 and rounded once. */
    public float normalize(int d, double raw) {
        return (float) (raw * scale[d] + offset[d]);
    }

    /** Inference: dimension d of a normalised value back to raw units, in float64. */
    public double unnormalize(int d, float y) {
        return (y - (double) offset[d]) / scale[d];
    }

    /** Inverse of {@link #normalize(float[], int, int)}, in place. */
    public void unnormalize(float[] x, int off, int len) {
        checkRows(len);
        int d = scale.length;
        for (int i = 0; i < len; i++) {
            int j = i % d;
            x[off + i] = (x[off + i] - offset[j]) / scale[j];
        }
    }

    public void unnormalize(float[] x) { unnormalize(x, 0, x.length); }

    /** A normalised copy of each row. */
    public float[][] normalizeRows(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            out[t] = rows[t].clone();
            normalize(out[t]);
        }
        return out;
    }

    /** Same dimension and every scale and offset within a relative tolerance (JSON round trips lose the last bits). */
    public boolean sameAs(LinearNormalizer o, double relTol) {
        if (o.dim() != dim()) return false;
        for (int d = 0; d < dim(); d++) {
            if (!close(scale[d], o.scale[d], relTol) || !close(offset[d], o.offset[d], relTol)) return false;
        }
        return true;
    }

    private static boolean close(double a, double b, double relTol) {
        return Math.abs(a - b) <= relTol * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }

    private void checkRows(int len) {
        if (len % scale.length != 0) {
            throw new IllegalArgumentException(len + " values are not whole rows of " + scale.length);
        }
    }

    ObjectNode toJsonNode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("mode", mode);
        n.put("dim", scale.length);
        n.set("scale", array(scale));
        n.set("offset", array(offset));
        n.set("input_min", array(inputMin));
        n.set("input_max", array(inputMax));
        return n;
    }

    private static ArrayNode array(float[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (float f : v) a.add(f);   // Jackson writes the shortest decimal that reads back to the same float
        return a;
    }

    public String toJson() { return toJsonNode().toPrettyString(); }

    static LinearNormalizer fromJsonNode(JsonNode n) {
        String mode = n.path("mode").asText();
        if (!MODES.contains(mode) && !AFFINE.equals(mode))
            throw new IllegalArgumentException("normaliser JSON: unknown mode '" + mode + "'");
        float[] scale = floats(n, "scale"), offset = floats(n, "offset");
        float[] min = floats(n, "input_min"), max = floats(n, "input_max");
        int d = n.path("dim").asInt(-1);
        if (scale.length != d || offset.length != d || min.length != d || max.length != d) {
            throw new IllegalArgumentException("normaliser JSON: arrays do not all have dim " + d + " values");
        }
        return new LinearNormalizer(mode, scale, offset, min, max);
    }

    public static LinearNormalizer fromJson(String json) {
        try {
            return fromJsonNode(JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("normaliser JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static float[] floats(JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) throw new IllegalArgumentException("normaliser JSON: missing array '" + field + "'");
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) a.get(i).asDouble();
        return out;
    }
}
