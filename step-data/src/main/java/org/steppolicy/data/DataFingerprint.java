package org.steppolicy.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.steppolicy.run.Checksums;

/**
 * Which data a run trained on: the file's path and size, and a SHA-256 over the arrays training reads (each
 * demo's name, its actions and its concatenated low-dim observations, as float32 in demo order). Written with every
 * checkpoint ({@code data.json}) so --resume can tell the same data from other data. The content hash decides: a
 * moved or re-compressed file with the same arrays is the same data. Image frames are not hashed (too large to
 * read at every start); an image file is recognised by its low-dim arrays and size.
 */
public record DataFingerprint(String path, long size, String sha256, int demos, long steps) {
    public static final String FILE = "data.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static DataFingerprint of(DemoDataset d) {
        MessageDigest md = Checksums.sha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Episode e : d.episodes()) {
            md.update(e.name().getBytes(StandardCharsets.UTF_8));
            hashRows(md, buf, e.actions());
            hashRows(md, buf, e.obs());
        }
        long size;
        try {
            size = Files.size(d.source());
        } catch (IOException e) {
            size = -1;
        }
        return new DataFingerprint(d.source().toAbsolutePath().normalize().toString(), size,
                HexFormat.of().formatHex(md.digest()), d.size(), d.totalSteps());
    }

    private static void hashRows(MessageDigest md, ByteBuffer buf, float[][] rows) {
        buf.clear();
        buf.putInt(rows.length);
        for (float[] r : rows) {
            for (float v : r) {
                if (buf.remaining() < 4) {
                    md.update(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
        }
        md.update(buf.array(), 0, buf.position());
    }

    /** How this (a run's data) differs from {@code now}: null when the arrays are the same. */
    public String contentDifference(DataFingerprint now) {
        if (sha256.equals(now.sha256)) return null;
        if (demos != now.demos || steps != now.steps)
            return demos + " demos / " + steps + " steps vs " + now.demos + " / " + now.steps;
        return "same demos and steps, different values (content hash " + sha256.substring(0, 12) + " vs " + now.sha256.substring(0, 12) + ")";
    }

    /** A note when only the path or the size changed (same arrays); null when nothing did. */
    public String locationDifference(DataFingerprint now) {
        if (!path.equals(now.path)) return "path " + path + " vs " + now.path;
        if (size != now.size) return "size " + size + " vs " + now.size + " bytes";
        return null;
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("path", path);
        n.put("size", size);
        n.put("sha256", sha256);
        n.put("demos", demos);
        n.put("steps", steps);
        return n.toPrettyString();
    }

    /** Null when the JSON is not a fingerprint (the caller treats that like a checkpoint without one). */
    public static DataFingerprint fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.hasNonNull("sha256")) return null;
            return new DataFingerprint(n.path("path").asText(), n.path("size").asLong(-1), n.get("sha256").asText(),
                    n.path("demos").asInt(), n.path("steps").asLong());
        } catch (IOException e) {
            return null;
        }
    }
}
