package org.steppolicy.models;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal reader for NumPy .npy files: little-endian float64/float32, C order (what torch_unet.py writes). */
record Npy(long[] shape, double[] data) {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|]?)([fi])(\\d)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    static Npy read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get() != (byte) 0x93 || b.get() != 'N') throw new IOException(file + ": not .npy");
        b.position(6);
        int major = b.get();
        b.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) throw new IOException(file + ": Fortran order");
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) throw new IOException(file + ": bad header " + header);
        if (d.group(1).equals(">")) throw new IOException(file + ": big-endian");
        String[] parts = s.group(1).split(",");
        long[] shape = java.util.Arrays.stream(parts).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long x : shape) n *= x;
        double[] data = new double[(int) n];
        String kind = d.group(2) + d.group(3);
        for (int i = 0; i < n; i++) {
            data[i] = switch (kind) {
                case "f8" -> b.getDouble();
                case "f4" -> b.getFloat();
                case "i8" -> b.getLong();
                default -> throw new IOException(file + ": unsupported dtype " + kind);
            };
        }
        return new Npy(shape, data);
    }
}
