package org.steppolicy.models;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named float tensors (name -> shape + row-major float[]), in insertion order, saved to one binary file.
 *
 * <p>File format, all little-endian:
 * <pre>
 *   magic   8 bytes  "STEPTNS1"
 *   count   int32    number of tensors
 *   count times:
 *     nameLen int32, name (UTF-8, nameLen bytes)
 *     rank    int32, dims int64 x rank
 *     data    float32 x prod(dims), row-major (C order)
 * </pre>
 * Used for checkpoints (parameters in the matmul layout of {@link ParamSpec}), fixtures and ONNX initialisers.
 */
public final class TensorStore {

    private static final byte[] MAGIC = "STEPTNS1".getBytes(StandardCharsets.US_ASCII);

    /** One tensor. The array is shared, not copied: callers own the aliasing. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            if (TensorStore.numel(shape) != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
            }
        }

        public long numel() {
            return data.length;
        }
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    public TensorStore put(String name, long[] shape, float[] data) {
        tensors.put(name, new Tensor(shape.clone(), data));
        return this;
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no tensor named '" + name + "'");
        return t;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public int size() {
        return tensors.size();
    }

    /** Total number of floats. */
    public long totalElements() {
        long n = 0;
        for (Tensor t : tensors.values()) n += t.data.length;
        return n;
    }

    public void save(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out);
        }
    }

    public void write(OutputStream out) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putInt(tensors.size());
        out.write(head.array());
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            long[] shape = e.getValue().shape;
            ByteBuffer h = ByteBuffer.allocate(8 + name.length + 8 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(name.length).put(name).putInt(shape.length);
            for (long d : shape) h.putLong(d);
            out.write(h.array());
            float[] data = e.getValue().data;
            for (int i = 0; i < data.length; ) {
                buf.clear();
                int n = Math.min(buf.capacity() / 4, data.length - i);
                buf.asFloatBuffer().put(data, i, n);
                out.write(buf.array(), 0, n * 4);
                i += n;
            }
        }
    }

    public static TensorStore load(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString(), Files.size(file));
        }
    }

    public static TensorStore read(InputStream input, String what) throws IOException {
        return read(input, what, Long.MAX_VALUE);
    }

    /**
     * Reads a tensor file of {@code size} bytes. Every count and length it holds is checked against the bytes left
     * before anything is allocated for it, so a crafted header cannot ask for gigabytes (or a negative array).
     */
    public static TensorStore read(InputStream input, String what, long size) throws IOException {
        DataInputStream in = new DataInputStream(input);
        byte[] magic = new byte[MAGIC.length];
        try {
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new IOException(what + ": not a tensor file (bad magic)");
            TensorStore store = new TensorStore();
            long left = size - MAGIC.length - 4;
            int count = readInt(in);
            if (count < 0 || count > left / 8) throw new IOException(what + ": corrupt tensor file (" + count + " tensors)");
            byte[] buf = new byte[1 << 16];
            for (int k = 0; k < count; k++) {
                int nameLength = readInt(in);
                if (nameLength < 0 || nameLength > Math.min(left - 8, 1 << 16)) throw new IOException(what + ": corrupt tensor file (a name of " + nameLength + " bytes)");
                byte[] name = new byte[nameLength];
                in.readFully(name);
                int dims = readInt(in);
                left -= 8 + nameLength;
                if (dims < 0 || dims > 64 || 8L * dims > left) throw new IOException(what + ": corrupt tensor file (" + dims + " dimensions)");
                long[] shape = new long[dims];
                for (int d = 0; d < shape.length; d++) shape[d] = readLong(in);
                left -= 8L * dims;
                long n;
                try {
                    n = numelExact(shape);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new IOException(what + ": corrupt tensor file (shape " + Arrays.toString(shape) + ")");
                }
                if (n > Integer.MAX_VALUE) throw new IOException(what + ": tensor too large");
                if (4 * n > left) throw new IOException(what + ": truncated tensor file (a tensor of " + n + " values, " + left + " bytes left)");
                left -= 4 * n;
                float[] data = new float[(int) n];
                for (int i = 0; i < data.length; ) {
                    int m = Math.min(buf.length / 4, data.length - i);
                    in.readFully(buf, 0, m * 4);
                    ByteBuffer.wrap(buf, 0, m * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data, i, m);
                    i += m;
                }
                store.put(new String(name, StandardCharsets.UTF_8), shape, data);
            }
            return store;
        } catch (EOFException e) {
            throw new IOException(what + ": truncated tensor file", e);
        }
    }

    private static long numelExact(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension");
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static int readInt(DataInputStream in) throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    private static long readLong(DataInputStream in) throws IOException {
        return Long.reverseBytes(in.readLong());
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        return n;
    }
}
