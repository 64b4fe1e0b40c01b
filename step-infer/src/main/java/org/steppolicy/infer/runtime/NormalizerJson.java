package org.steppolicy.infer.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.steppolicy.config.UserError;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.data.DatasetNormalizer;

/**
 * Reads a checkpoint's normalizer.json (step-data's DatasetNormalizer: {"obs": {...}, "action": {...}}, each with
 * per-dimension "scale" and "offset") into {@link LinearNormalizer#affine} normalisers; the other fields (mode, input
 * range) do not matter once scale and offset are known. A file that does not parse is the user's input: UserError.
 */
public final class NormalizerJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NormalizerJson() {}

    public static DatasetNormalizer parse(String json, String what) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) throw new UserError(what + ": not a JSON object");
            try {
                return new DatasetNormalizer(field(n, "obs", what), field(n, "action", what));
            } catch (IllegalArgumentException e) {
                throw new UserError(what + ": " + e.getMessage(), e);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError(what + ": not valid JSON: " + String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " "), e);
        }
    }

    private static LinearNormalizer field(JsonNode root, String key, String what) {
        JsonNode n = root.get(key);
        if (n == null) throw new UserError(what + ": normaliser JSON has no '" + key + "'");
        return LinearNormalizer.affine(floats(n, "scale", key, what), floats(n, "offset", key, what));
    }

    private static float[] floats(JsonNode n, String field, String key, String what) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) throw new UserError(what + ": normaliser '" + key + "' has no array '" + field + "'");
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) a.get(i).asDouble();
        return out;
    }
}
