package org.steppolicy.data.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.steppolicy.data.DataFileException;

/**
 * One zarr v2 array in a directory store ({@code .zarray} + chunk files named {@code i.0.0}), C order, Blosc or no
 * compressor, chunked along the first axis only (the other chunk dims equal the shape), as DP's replay buffers are.
 * Missing chunks read as fill_value. Little-endian float32/float64/int32/int64/uint8.
 */
public final class ZarrArray {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path store;      // the zarr root, for messages
    private final String name;     // path inside the store, e.g. data/action
    private final Path dir;
    private final long[] shape;
    private final int rowsPerChunk;
    private final String dtype;
    private final int itemSize;
    private final boolean blosc;
    private final double fill;
    private final BloscDecoder decoder = new BloscDecoder();

    private ZarrArray(Path store, String name, Path dir, long[] shape, int rowsPerChunk, String dtype, int itemSize,
                      boolean blosc, double fill) {
        this.store = store;
        this.name = name;
        this.dir = dir;
        this.shape = shape;
        this.rowsPerChunk = rowsPerChunk;
        this.dtype = dtype;
        this.itemSize = itemSize;
        this.blosc = blosc;
        this.fill = fill;
    }

    public static ZarrArray open(Path store, String name) {
        Path dir = store.resolve(name);
        Path meta = dir.resolve(".zarray");
        if (!Files.isRegularFile(meta)) throw new DataFileException(store, name, "missing zarr array (no .zarray)");
        JsonNode m;
        try {
            m = JSON.readTree(Files.readString(meta));
        } catch (IOException e) {
            throw new DataFileException(store, name + "/.zarray", "unreadable: " + e.getMessage(), e);
        }
        if (m.path("zarr_format").asInt() != 2) throw new DataFileException(store, name, "not a zarr v2 array");
        if (!"C".equals(m.path("order").asText())) throw new DataFileException(store, name, "only C order is supported");
        if (!m.path("filters").isNull() && !m.path("filters").isMissingNode() && m.path("filters").size() > 0) {
            throw new DataFileException(store, name, "zarr filters are not supported: " + m.get("filters"));
        }
        long[] shape = new long[m.path("shape").size()];
        int[] chunks = new int[m.path("chunks").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = m.path("shape").get(i).asLong();
        for (int i = 0; i < chunks.length; i++) chunks[i] = m.path("chunks").get(i).asInt();
        if (shape.length == 0 || chunks.length != shape.length) {
            throw new DataFileException(store, name, "bad shape/chunks " + m.get("shape") + " " + m.get("chunks"));
        }
        for (int i = 1; i < shape.length; i++) {
            if (chunks[i] != shape[i]) {
                throw new DataFileException(store, name, "chunked along axis " + i + "; only axis-0 chunking is supported");
            }
        }
        String dtype = m.path("dtype").asText();
        int itemSize = switch (dtype) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|u1", "<u1" -> 1;
            default -> throw new DataFileException(store, name, "unsupported dtype " + dtype);
        };
        JsonNode comp = m.path("compressor");
        boolean blosc = !comp.isNull() && !comp.isMissingNode();
        if (blosc && !"blosc".equals(comp.path("id").asText())) {
            throw new DataFileException(store, name, "unsupported compressor " + comp.path("id").asText());
        }
        double fill = m.path("fill_value").isNumber() ? m.path("fill_value").asDouble() : 0;
        return new ZarrArray(store, name, dir, shape, chunks[0], dtype, itemSize, blosc, fill);
    }

    public long[] shape() { return shape.clone(); }

    public long rows() { return shape[0]; }

    /** Values per row (product of the trailing dims). */
    public int rowWidth() {
        long w = 1;
        for (int i = 1; i < shape.length; i++) w *= shape[i];
        return Math.toIntExact(w);
    }

    public String dtype() { return dtype; }

    public int rowsPerChunk() { return rowsPerChunk; }

    /** Raw little-endian bytes of chunk c (always a full chunk, as zarr stores it). */
    byte[] chunkBytes(int c) {
        String key = c + ".0".repeat(shape.length - 1);
        Path f = dir.resolve(key);
        int expected = Math.multiplyExact(Math.multiplyExact(rowsPerChunk, rowWidth()), itemSize);
        if (!Files.exists(f)) return fillChunk(expected);
        byte[] src;
        try {
            src = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new DataFileException(store, name + "/" + key, "unreadable: " + e.getMessage(), e);
        }
        byte[] raw;
        try {
            raw = blosc ? decoder.decode(src) : src;
        } catch (IllegalArgumentException e) {
            throw new DataFileException(store, name + "/" + key, e.getMessage(), e);
        }
        if (raw.length != expected) {
            throw new DataFileException(store, name + "/" + key, raw.length + " bytes, a chunk holds " + expected);
        }
        return raw;
    }

    private byte[] fillChunk(int bytes) {
        byte[] out = new byte[bytes];
        if (fill == 0) return out;
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < bytes / itemSize; i++) put(b, i, fill);
        return out;
    }

    private void put(ByteBuffer b, int i, double v) {
        switch (dtype) {
            case "<f4" -> b.putFloat(i * 4, (float) v);
            case "<f8" -> b.putDouble(i * 8, v);
            case "<i4" -> b.putInt(i * 4, (int) v);
            case "<i8" -> b.putLong(i * 8, (long) v);
            default -> b.put(i, (byte) v);
        }
    }

    private double get(ByteBuffer b, int i) {
        return switch (dtype) {
            case "<f4" -> b.getFloat(i * 4);
            case "<f8" -> b.getDouble(i * 8);
            case "<i4" -> b.getInt(i * 4);
            case "<i8" -> b.getLong(i * 8);
            default -> b.get(i) & 0xff;
        };
    }

    /** Rows [from, to) as float32, row-major (to − from) × rowWidth, decoding only the chunks that hold them. */
    public float[] readFloats(long from, long to) {
        int w = rowWidth();
        float[] out = new float[Math.toIntExact((to - from) * w)];
        forRows(from, to, (b, chunkRow, outRow, count) -> {
            for (int i = 0; i < count * w; i++) out[outRow * w + i] = (float) get(b, chunkRow * w + i);
        });
        return out;
    }

    /** Rows [from, to) as int64 (for integer arrays such as episode_ends). */
    public long[] readLongs(long from, long to) {
        int w = rowWidth();
        long[] out = new long[Math.toIntExact((to - from) * w)];
        forRows(from, to, (b, chunkRow, outRow, count) -> {
            for (int i = 0; i < count * w; i++) {
                int k = chunkRow * w + i;
                // int64 read directly: a double would round values above 2^53
                out[outRow * w + i] = dtype.equals("<i8") ? b.getLong(k * 8) : (long) get(b, k);
            }
        });
        return out;
    }

    private interface RowSink { void accept(ByteBuffer chunk, int chunkRow, int outRow, int count); }

    private void forRows(long from, long to, RowSink sink) {
        if (from < 0 || to > rows() || from > to) {
            throw new IllegalArgumentException(name + ": rows [" + from + ", " + to + ") outside [0, " + rows() + ")");
        }
        long r = from;
        while (r < to) {
            int c = Math.toIntExact(r / rowsPerChunk);
            long chunkStart = (long) c * rowsPerChunk;
            long upto = Math.min(to, chunkStart + rowsPerChunk);
            ByteBuffer b = ByteBuffer.wrap(chunkBytes(c)).order(ByteOrder.LITTLE_ENDIAN);
            sink.accept(b, (int) (r - chunkStart), (int) (r - from), (int) (upto - r));
            r = upto;
        }
    }

    @Override
    public String toString() { return name + " " + Arrays.toString(shape) + " " + dtype; }
}
