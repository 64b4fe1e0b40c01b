package org.steppolicy.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.steppolicy.config.UserError;

/**
 * A safetensors file: an 8-byte little-endian header length n, n bytes of JSON
 * ({@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}), then the raw
 * little-endian tensor bytes, offsets relative to the end of the header. No library on Maven Central reads it, and the
 * format is this small. The header is checked whole (offsets inside the file, sizes equal to dtype × shape) before any
 * tensor is read; tensors are read on demand. Errors are {@link UserError}s without the file name.
 */
public final class SafetensorsReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    /** One header entry; {@code dtype} is the file's name for it. */
    public record Entry(String dtype, long[] shape, long begin, long end) {}

    private final Path file;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
        this.file = file;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafetensorsReader open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new UserError("not a safetensors file (" + size + " bytes)");
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, head, 0);
            long n = head.getLong(0);
            if (n <= 1 || n > MAX_HEADER || n > size - 8) throw new UserError("not a safetensors file, or truncated (header length " + n + ", file " + size + " bytes)");
            ByteBuffer json = ByteBuffer.allocate((int) n);
            readFully(ch, json, 8);
            JsonNode root;
            try {
                root = JSON.readTree(new String(json.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UserError("not a safetensors file: the header is not JSON");
            }
            if (root == null || !root.isObject()) throw new UserError("not a safetensors file: the header is not a JSON object");
            long dataLen = size - 8 - n;
            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    f.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                entries.put(f.getKey(), entry(f.getKey(), f.getValue(), dataLen));
            }
            requireDisjoint(entries);
            return new SafetensorsReader(file, 8 + n, Collections.unmodifiableMap(entries), meta);
        } catch (IOException e) {
            throw new UserError("cannot read: " + e.getMessage());
        }
    }

    private static Entry entry(String name, JsonNode e, long dataLen) {
        JsonNode shapeNode = e.get("shape"), offsets = e.get("data_offsets");
        if (!e.path("dtype").isTextual() || shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray() || offsets.size() != 2)
            throw new UserError("malformed safetensors header entry '" + name + "'");
        if (shapeNode.size() > 64) throw new UserError("malformed safetensors header entry '" + name + "': " + shapeNode.size() + " dimensions");
        long[] shape = new long[shapeNode.size()];
        long numel = 1, bytes;
        Dtype d = Dtype.ofSafetensors(e.get("dtype").asText());
        try {
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) throw new UserError("malformed safetensors header entry '" + name + "': shape " + clip(shapeNode.toString()));
                numel = Math.multiplyExact(numel, shape[i]);
            }
            bytes = d == null ? 0 : Math.multiplyExact(numel, (long) d.bytes());
        } catch (ArithmeticException overflow) {   // a crafted shape whose size does not fit in a long
            throw new UserError("malformed safetensors header entry '" + name + "': shape " + clip(shapeNode.toString()) + " overflows");
        }
        long begin = offsets.get(0).asLong(-1), end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLen)
            throw new UserError("truncated safetensors file: tensor '" + name + "' lies at bytes " + begin + ".." + end + " of " + dataLen);
        if (d != null && end - begin != bytes)
            throw new UserError("malformed safetensors header: tensor '" + name + "' has " + (end - begin) + " bytes for "
                    + e.get("dtype").asText() + Arrays.toString(shape));
        return new Entry(e.get("dtype").asText(), shape, begin, end);
    }

    /** No two tensors share bytes (the format lays them end to end): an overlap is a crafted or corrupt file. */
    private static void requireDisjoint(Map<String, Entry> entries) {
        Map.Entry<String, Entry> last = null;
        for (Map.Entry<String, Entry> e : entries.entrySet().stream()
                .filter(x -> x.getValue().end() > x.getValue().begin())
                .sorted(java.util.Comparator.comparingLong(x -> x.getValue().begin())).toList()) {
            if (last != null && e.getValue().begin() < last.getValue().end())
                throw new UserError("malformed safetensors header: tensors '" + last.getKey() + "' and '" + e.getKey() + "' overlap (bytes "
                        + e.getValue().begin() + ".." + last.getValue().end() + ")");
            last = e;
        }
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    public Set<String> names() {
        return entries.keySet();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new UserError("no tensor '" + name + "'");
        return e;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** A tensor's values as float32 (widened from F16/BF16, rounded from F64, converted from integers). */
    public float[] floats(String name) {
        Entry e = entry(name);
        Dtype d = Dtype.ofSafetensors(e.dtype());
        if (d == null) throw new UserError("tensor '" + name + "' has dtype " + e.dtype() + ", which cannot be read");
        if (e.end() - e.begin() > Integer.MAX_VALUE - 8) throw new UserError("tensor '" + name + "' is too large to read (" + (e.end() - e.begin()) + " bytes)");
        byte[] raw = new byte[(int) (e.end() - e.begin())];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, ByteBuffer.wrap(raw), dataStart + e.begin());
        } catch (IOException ex) {
            throw new UserError("cannot read tensor '" + name + "': " + ex.getMessage());
        }
        long[] stride = new long[e.shape().length];
        long s = 1;
        for (int k = stride.length - 1; k >= 0; k--) {
            stride[k] = s;
            s *= e.shape()[k];
        }
        return d.toFloats(raw, 0, e.shape(), stride);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at + b.position());
            if (n < 0) throw new UserError("truncated safetensors file");
        }
    }
}
