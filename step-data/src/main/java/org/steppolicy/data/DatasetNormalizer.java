package org.steppolicy.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.UserError;

/**
 * The obs and action normalisers of a dataset, fitted on all demos (§C) and saved as JSON with every checkpoint; the
 * pair a trained policy normalises with at inference (read back from the checkpoint or an ONNX export's sidecar).
 */
public record DatasetNormalizer(LinearNormalizer obs, LinearNormalizer action) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fits both fields on every episode of the dataset (train, valid and those dropped by max_train_episodes). */
    public static DatasetNormalizer fit(DemoDataset data, String obsMode, String actionMode) {
        return fit(data.episodes(), obsMode, actionMode);
    }

    public static DatasetNormalizer fit(List<Episode> episodes, String obsMode, String actionMode) {
        List<float[][]> obs = new ArrayList<>(), act = new ArrayList<>();
        for (Episode e : episodes) {
            obs.add(e.obs());
            act.add(e.actions());
        }
        return new DatasetNormalizer(LinearNormalizer.fit(obsMode, obs), LinearNormalizer.fit(actionMode, act));
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.set("obs", obs.toJsonNode());
        n.set("action", action.toJsonNode());
        return n.toPrettyString();
    }

    public static DatasetNormalizer fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n.get("obs") == null || n.get("action") == null) {
                throw new IllegalArgumentException("normaliser JSON needs 'obs' and 'action'");
            }
            return new DatasetNormalizer(LinearNormalizer.fromJsonNode(n.get("obs")),
                    LinearNormalizer.fromJsonNode(n.get("action")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("normaliser JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes the JSON to a temporary file beside {@code file}, then renames it into place. */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, toJson());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static DatasetNormalizer load(Path file) {
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read normaliser: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }
}
