package org.steppolicy.data;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An open RoboMimic-layout HDF5 file (docs/reference/diffusion-policy.md §D.1): {@code /data/demo_<i>/{actions, obs/<key>}},
 * {@code /data@env_args}, optional {@code /mask/<filter>}. Every failure is a {@link DataFileException} naming the file,
 * the HDF5 path and the problem. Not thread-safe (it caches the last decompressed image chunk).
 */
public final class DemoFile implements AutoCloseable {
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final Pattern DEMO_NAME = Pattern.compile("demo_(\\d+)");

    private final Path path;
    private final HdfFile hdf;
    private final Group data;
    private final List<String> demos;

    private String cachedChunkKey;
    private byte[] cachedChunk;

    private DemoFile(Path path, HdfFile hdf, Group data, List<String> demos) {
        this.path = path;
        this.hdf = hdf;
        this.data = data;
        this.demos = demos;
    }

    /** Opens and checks the file: an HDF5 file, not truncated, with a {@code data} group holding at least one demo. */
    public static DemoFile open(Path path) {
        HdfFile hdf = openHdf(path);
        try {
            Node dataNode = read(path, "/data", () -> hdf.getChildren().get("data"));
            if (dataNode == null) {
                throw new DataFileException(path, "/data", "missing group 'data' (top-level entries: "
                        + listOrNone(new ArrayList<>(read(path, "/", hdf::getChildren).keySet())) + ")");
            }
            if (!(dataNode instanceof Group data)) {
                throw new DataFileException(path, "/data", "'data' is a dataset, expected a group of demos");
            }
            List<String> names = new ArrayList<>();
            for (String name : read(path, "/data", data::getChildren).keySet()) {
                if (DEMO_NAME.matcher(name).matches()) names.add(name);
            }
            if (names.isEmpty()) {
                throw new DataFileException(path, "/data", "no demo_<i> groups (entries: "
                        + listOrNone(new ArrayList<>(read(path, "/data", data::getChildren).keySet())) + ")");
            }
            // demo_<i> in numeric order, as DP reads them (range(len(data))); HDF5 sorts names as strings
            names.sort(Comparator.comparingLong(DemoFile::demoNumber));
            return new DemoFile(path, hdf, data, List.copyOf(names));
        } catch (RuntimeException e) {
            hdf.close();
            throw e;
        }
    }

    private static HdfFile openHdf(Path path) {
        if (Files.isDirectory(path)) throw new DataFileException(path, null, "is a folder; give an HDF5 file");
        if (!Files.isRegularFile(path)) throw new DataFileException(path, null, org.steppolicy.run.FileErrors.whyNotAFile(path));
        long superblockOffset = findSignature(path);
        if (superblockOffset < 0) throw new DataFileException(path, "/", "not an HDF5 file (no HDF5 signature)");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            Superblock sb;
            try {
                sb = Superblock.readSuperblock(ch, superblockOffset);
            } catch (RuntimeException e) {
                throw new DataFileException(path, "/", "truncated or corrupt HDF5 file (unreadable superblock, "
                        + size + " bytes)");
            }
            long end = sb.getBaseAddressByte() + sb.getEndOfFileAddress();
            if (size < end) {
                throw new DataFileException(path, "/", "truncated HDF5 file (" + size + " bytes, the superblock says "
                        + end + ")");
            }
        } catch (IOException e) {
            throw new DataFileException(path, "/", "cannot read: " + e.getMessage(), e);
        }
        try {
            return new HdfFile(path);
        } catch (RuntimeException e) {
            throw new DataFileException(path, "/", "corrupt HDF5 file: " + e.getMessage(), e);
        }
    }

    /** The superblock sits at 0, 512, 1024, 2048, ... (after an optional user block). */
    private static long findSignature(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate(HDF5_SIGNATURE.length);
            for (long off = 0; off + HDF5_SIGNATURE.length <= size; off = off == 0 ? 512 : off * 2) {
                buf.clear();
                while (buf.hasRemaining() && ch.read(buf, off + buf.position()) > 0) { /* fill */ }
                if (!buf.hasRemaining() && Arrays.equals(buf.array(), HDF5_SIGNATURE)) return off;
            }
            return -1;
        } catch (IOException e) {
            throw new DataFileException(path, "/", "cannot read: " + e.getMessage(), e);
        }
    }

    private static long demoNumber(String name) {
        Matcher m = DEMO_NAME.matcher(name);
        if (!m.matches()) throw new IllegalStateException(name);
        return Long.parseLong(m.group(1));
    }

    /** Runs a jhdf call, turning its failures into one line naming this file and the HDF5 path. */
    private static <T> T read(Path file, String h5path, Supplier<T> call) {
        try {
            return call.get();
        } catch (DataFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataFileException(file, h5path, "cannot read (truncated or corrupt file?): " + e, e);
        }
    }

    private <T> T read(String h5path, Supplier<T> call) {
        return read(path, h5path, call);
    }

    /**
     * True for a failure inside jhdf (its own exceptions, or any thrown from its code): it met bytes it cannot
     * parse, a property of the file. Failures in our own code stay program defects.
     */
    static boolean isJhdfFailure(RuntimeException e) {
        if (e instanceof io.jhdf.exceptions.HdfException) return true;
        StackTraceElement[] st = e.getStackTrace();
        return st.length > 0 && st[0].getClassName().startsWith("io.jhdf.");
    }

    static String listOrNone(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    public Path path() { return path; }

    /** {@code demo_<i>} names in numeric order. */
    public List<String> demoNames() { return demos; }

    public static String demoPath(String demo) { return "/data/" + demo; }

    /** {@code /data@env_args}, the environment description (JSON string), if present. */
    public Optional<String> envArgs() {
        return Optional.ofNullable(stringAttribute(data, "/data", "env_args"));
    }

    /** A scalar integer attribute of a demo ({@code seed}, {@code num_samples}). */
    public OptionalLong demoLongAttribute(String demo, String name) {
        Group g = demoGroup(demo);
        Attribute a = read(demoPath(demo), () -> g.getAttribute(name));
        if (a == null) return OptionalLong.empty();
        Object v = read(demoPath(demo) + "@" + name, a::getData);
        if (v instanceof Number n) return OptionalLong.of(n.longValue());
        if (v instanceof long[] l && l.length == 1) return OptionalLong.of(l[0]);
        if (v instanceof int[] l && l.length == 1) return OptionalLong.of(l[0]);
        throw new DataFileException(path, demoPath(demo) + "@" + name, "expected a scalar integer, found " + v);
    }

    /** An attribute of the {@code data} group (e.g. {@code total}), if present. */
    public Optional<Object> dataAttribute(String name) {
        Attribute a = read("/data", () -> data.getAttribute(name));
        return a == null ? Optional.empty() : Optional.ofNullable(read("/data@" + name, a::getData));
    }

    private String stringAttribute(Node node, String nodePath, String name) {
        Attribute a = read(nodePath, () -> node.getAttribute(name));
        if (a == null) return null;
        Object v = read(nodePath + "@" + name, a::getData);
        if (v instanceof String s) return s;
        if (v instanceof String[] s && s.length == 1) return s[0];
        throw new DataFileException(path, nodePath + "@" + name, "expected a string attribute, found " + v);
    }

    Group demoGroup(String demo) {
        Node n = read(demoPath(demo), () -> data.getChild(demo));
        if (!(n instanceof Group g)) throw new DataFileException(path, demoPath(demo), "expected a group");
        return g;
    }

    /** Names of the datasets directly in a demo (e.g. actions, dones, obs). */
    public List<String> demoEntries(String demo) {
        Group g = demoGroup(demo);
        return new ArrayList<>(read(demoPath(demo), g::getChildren).keySet());
    }

    /** The obs keys a demo holds, in file order. */
    public List<String> obsKeys(String demo) {
        Group obs = obsGroup(demo);
        return new ArrayList<>(read(demoPath(demo) + "/obs", obs::getChildren).keySet());
    }

    private Group obsGroup(String demo) {
        Group g = demoGroup(demo);
        Node n = read(demoPath(demo) + "/obs", () -> g.getChild("obs"));
        if (n == null) {
            throw new DataFileException(path, demoPath(demo) + "/obs", "missing group 'obs' (demo has: "
                    + listOrNone(demoEntries(demo)) + ")");
        }
        if (!(n instanceof Group obs)) throw new DataFileException(path, demoPath(demo) + "/obs", "expected a group");
        return obs;
    }

    /** The {@code actions} dataset of a demo; a clear error when it is absent. */
    public Dataset actionsDataset(String demo) {
        Group g = demoGroup(demo);
        Node n = read(demoPath(demo) + "/actions", () -> g.getChild("actions"));
        if (n == null) {
            throw new DataFileException(path, demoPath(demo) + "/actions", "missing dataset 'actions' (demo has: "
                    + listOrNone(demoEntries(demo)) + ")");
        }
        if (!(n instanceof Dataset d)) throw new DataFileException(path, demoPath(demo) + "/actions", "expected a dataset");
        return d;
    }

    /** {@code obs/<key>} of a demo; when absent, the message lists the keys that exist. */
    public Dataset obsDataset(String demo, String key) {
        Group obs = obsGroup(demo);
        String p = demoPath(demo) + "/obs/" + key;
        Node n = read(p, () -> obs.getChild(key));
        if (n == null) {
            throw new DataFileException(path, p, "missing obs key '" + key + "' (existing keys: "
                    + listOrNone(obsKeys(demo)) + ")");
        }
        if (!(n instanceof Dataset d)) throw new DataFileException(path, p, "expected a dataset");
        return d;
    }

    /** Shape and element type of any dataset, for reports. */
    public static String dtypeName(Dataset d) {
        DataType t = d.getDataType();
        if (t instanceof FloatingPoint) return "float" + (8 * t.getSize());
        if (t instanceof FixedPoint f) return (f.isSigned() ? "int" : "uint") + (8 * t.getSize());
        if (t instanceof StringData) return "string" + (t.getSize() > 0 ? "[" + t.getSize() + "]" : "");
        return t.getClass().getSimpleName();
    }

    static boolean isImage(Dataset d) {
        return d.getDataType() instanceof FixedPoint f && f.getSize() == 1 && d.getDimensions().length >= 3;
    }

    /**
     * A (n, ...) numeric dataset as n rows of the flattened trailing dims, cast to float (DP casts to float32).
     * Checks that every value is finite.
     */
    public float[][] readRows(Dataset d) {
        return readRows(d, true);
    }

    /** As {@link #readRows(Dataset)}; without the finiteness check when a {@link DataValidator} reports all values. */
    public float[][] readRows(Dataset d, boolean requireFinite) {
        String p = d.getPath();
        int[] dims = read(p, d::getDimensions);
        if (dims.length == 0) throw new DataFileException(path, p, "expected a per-step array, found a scalar");
        if (isImage(d)) {
            throw new DataFileException(path, p, "is an image (uint8 " + Arrays.toString(Arrays.copyOfRange(dims, 1,
                    dims.length)) + "), not a low-dim key; read it frame by frame");
        }
        int n = dims[0];
        int width = 1;
        for (int i = 1; i < dims.length; i++) width *= dims[i];
        float[] flat = toFloats(p, n == 0 || width == 0 ? null : read(p, d::getDataFlat), n * width);
        float[][] rows = new float[n][width];
        for (int t = 0; t < n; t++) {
            System.arraycopy(flat, t * width, rows[t], 0, width);
            for (int j = 0; requireFinite && j < width; j++) {
                float v = rows[t][j];
                if (!Float.isFinite(v)) {
                    throw new DataFileException(path, p, (Float.isNaN(v) ? "NaN" : "Inf") + " at step " + t
                            + ", dim " + j);
                }
            }
        }
        return rows;
    }

    private float[] toFloats(String p, Object flat, int expected) {
        if (flat == null) return new float[0];
        float[] out;
        if (flat instanceof float[] f) {
            out = f;
        } else if (flat instanceof double[] a) {
            out = new float[a.length];
            for (int i = 0; i < a.length; i++) out[i] = (float) a[i];
        } else if (flat instanceof long[] a) {
            out = new float[a.length];
            for (int i = 0; i < a.length; i++) out[i] = a[i];
        } else if (flat instanceof int[] a) {
            out = new float[a.length];
            for (int i = 0; i < a.length; i++) out[i] = a[i];
        } else if (flat instanceof short[] a) {
            out = new float[a.length];
            for (int i = 0; i < a.length; i++) out[i] = a[i];
        } else if (flat instanceof byte[] a) {
            out = new float[a.length];
            for (int i = 0; i < a.length; i++) out[i] = a[i];
        } else {
            throw new DataFileException(path, p, "not a numeric dataset (" + flat.getClass().getSimpleName() + ")");
        }
        if (out.length != expected) {
            throw new DataFileException(path, p, "holds " + out.length + " values, its shape says " + expected);
        }
        return out;
    }

    /** {@code /mask/<name>}: the demo names listed there, if the file has that filter key. */
    public Optional<List<String>> mask(String name) {
        Node maskNode = read("/mask", () -> hdf.getChildren().get("mask"));
        if (!(maskNode instanceof Group mask)) return Optional.empty();
        Node n = read("/mask/" + name, () -> mask.getChild(name));
        if (n == null) return Optional.empty();
        if (!(n instanceof Dataset d)) throw new DataFileException(path, "/mask/" + name, "expected a dataset");
        Object v = read("/mask/" + name, d::getData);
        if (v instanceof String[] s) return Optional.of(List.of(s));
        if (v instanceof String s) return Optional.of(List.of(s));
        throw new DataFileException(path, "/mask/" + name, "expected demo names (strings), found "
                + dtypeName(d));
    }

    /** Names of the filter keys in {@code /mask}. */
    public List<String> maskNames() {
        Node maskNode = read("/mask", () -> hdf.getChildren().get("mask"));
        if (!(maskNode instanceof Group mask)) return List.of();
        return new ArrayList<>(read("/mask", mask::getChildren).keySet());
    }

    /** Per-frame shape of an image key, e.g. [96, 96, 3]. */
    public int[] frameShape(String demo, String key) {
        Dataset d = obsDataset(demo, key);
        int[] dims = read(d.getPath(), d::getDimensions);
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    /**
     * Frames [from, to) of one demo's uint8 image key, row-major (frame, H, W, C), read lazily: only the HDF5 chunks
     * that hold those frames are decompressed, so a whole image dataset never sits in memory.
     */
    public byte[] readFrames(String demo, String key, int from, int to) {
        Dataset d = obsDataset(demo, key);
        String p = d.getPath();
        if (!isImage(d)) throw new DataFileException(path, p, "not a uint8 image key (" + dtypeName(d) + ")");
        int[] dims = read(p, d::getDimensions);
        int n = dims[0];
        if (from < 0 || to > n || from > to) {
            throw new IllegalArgumentException(path + ": " + p + ": frames [" + from + ", " + to + ") outside [0, " + n + ")");
        }
        int frameBytes = 1;
        for (int i = 1; i < dims.length; i++) frameBytes *= dims[i];
        byte[] out = new byte[(to - from) * frameBytes];
        if (d instanceof ChunkedDataset cd && chunksHoldWholeFrames(read(p, cd::getChunkDimensions), dims)) {
            int rowsPerChunk = cd.getChunkDimensions()[0];
            int t = from;
            while (t < to) {
                int chunkStart = t / rowsPerChunk * rowsPerChunk;
                byte[] chunk = decompressedChunk(cd, p, chunkStart, dims.length);
                int upto = Math.min(to, chunkStart + rowsPerChunk);
                System.arraycopy(chunk, (t - chunkStart) * frameBytes, out, (t - from) * frameBytes,
                        (upto - t) * frameBytes);
                t = upto;
            }
        } else {
            long[] offset = new long[dims.length];
            offset[0] = from;
            int[] shape = dims.clone();
            shape[0] = to - from;
            if (to > from) flattenUnsigned(read(p, () -> d.getData(offset, shape)), out, new int[] {0});
        }
        return out;
    }

    private static boolean chunksHoldWholeFrames(int[] chunk, int[] dims) {
        for (int i = 1; i < dims.length; i++) if (chunk[i] != dims[i]) return false;
        return true;
    }

    private byte[] decompressedChunk(ChunkedDataset cd, String p, int chunkStart, int rank) {
        String cacheKey = p + "#" + chunkStart;
        if (!cacheKey.equals(cachedChunkKey)) {
            int[] offset = new int[rank];
            offset[0] = chunkStart;
            cachedChunk = read(p, () -> cd.getDecompressedChunk(offset));
            cachedChunkKey = cacheKey;
        }
        return cachedChunk;
    }

    private static void flattenUnsigned(Object nested, byte[] out, int[] pos) {
        if (nested instanceof int[] a) {
            for (int v : a) out[pos[0]++] = (byte) v;
        } else if (nested instanceof byte[] a) {
            for (byte v : a) out[pos[0]++] = v;
        } else if (nested instanceof Object[] a) {
            for (Object o : a) flattenUnsigned(o, out, pos);
        } else {
            throw new IllegalStateException("unexpected image element " + nested.getClass());
        }
    }

    @Override
    public void close() {
        cachedChunk = null;
        hdf.close();
    }
}
