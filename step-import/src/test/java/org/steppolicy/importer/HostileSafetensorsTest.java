package org.steppolicy.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;

/** Crafted safetensors headers are refused in one line before any tensor is read (before: overlaps accepted, overflow exit 1). */
class HostileSafetensorsTest {
    @TempDir
    Path tmp;

    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < dataBytes / 4; i++) b.putFloat(i);
        return Files.write(tmp.resolve("model.safetensors"), b.array());
    }

    private void refused(String header, int dataBytes, String expected) throws IOException {
        Path f = file(header, dataBytes);
        UserError e = assertThrows(UserError.class, () -> SafetensorsReader.open(f));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().lines().count() == 1, e.getMessage());
    }

    @Test
    void overlapsAndOverflowingShapesAreRefused() throws IOException {
        // intact: two tensors end to end
        Path ok = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16);
        assertArrayEquals(new float[] {2, 3}, SafetensorsReader.open(ok).floats("b"));
        refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 16,
                "'a' and 'b' overlap");
        refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8, "overflows");
        refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}}", 8, "overflows");
    }
}
