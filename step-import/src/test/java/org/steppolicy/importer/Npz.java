package org.steppolicy.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** NumPy .npz (a zip of .npy: little-endian f4/f8/i8, C order), for the reference fixtures' expected values. */
record Npz(Map<String, Array> arrays) {

    record Array(long[] shape, double[] data) {
        float[] floats() {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
            return f;
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|]?)([fi])(\\d)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    Array get(String name) {
        Array a = arrays.get(name);
        if (a == null) throw new IllegalArgumentException("no array " + name + " in " + arrays.keySet());
        return a;
    }

    static Npz read(Path file) throws IOException {
        Map<String, Array> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                byte[] bytes = z.getInputStream(e).readAllBytes();
                out.put(e.getName().replaceAll("\\.npy$", ""), npy(bytes, e.getName()));
            }
        }
        return new Npz(out);
    }

    private static Array npy(byte[] bytes, String what) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get() != (byte) 0x93 || b.get() != 'N') throw new IOException(what + ": not .npy");
        b.position(6);
        int major = b.get();
        b.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), s = SHAPE.matcher(header);
        if (header.contains("'fortran_order': True") || !d.find() || !s.find() || d.group(1).equals(">"))
            throw new IOException(what + ": unsupported header " + header);
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        int n = (int) Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        double[] data = new double[n];
        String kind = d.group(2) + d.group(3);
        for (int i = 0; i < n; i++) {
            data[i] = switch (kind) {
                case "f8" -> b.getDouble();
                case "f4" -> b.getFloat();
                case "i8" -> b.getLong();
                default -> throw new IOException(what + ": dtype " + kind);
            };
        }
        return new Array(shape, data);
    }
}
