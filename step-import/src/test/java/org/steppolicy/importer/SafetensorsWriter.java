package org.steppolicy.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes F32 safetensors files (tests: the legacy LeRobot layout, damaged files). */
final class SafetensorsWriter {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> data = new LinkedHashMap<>();

    SafetensorsWriter put(String name, long[] shape, float[] values) {
        shapes.put(name, shape);
        data.put(name, values);
        return this;
    }

    byte[] bytes() throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long at = 0;
        for (String k : shapes.keySet()) {
            long n = data.get(k).length * 4L;
            header.put(k, Map.of("dtype", "F32", "shape", shapes.get(k), "data_offsets", List.of(at, at + n)));
            at += n;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int pad = (8 - json.length % 8) % 8;
        ByteBuffer b = ByteBuffer.allocate((int) (8 + json.length + pad + at)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length + pad).put(json);
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        for (float[] v : data.values()) for (float f : v) b.putFloat(f);
        return b.array();
    }

    void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes());
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
