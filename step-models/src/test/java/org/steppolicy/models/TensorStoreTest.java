package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorStoreTest {

    @Test
    void roundTripAndLittleEndianLayout(@TempDir Path dir) throws IOException {
        TensorStore s = new TensorStore();
        s.put("a.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f});
        s.put("b", new long[] {1}, new float[] {0.25f});
        float[] big = new float[70_000];
        for (int i = 0; i < big.length; i++) big[i] = i * 0.5f;
        s.put("big", new long[] {70_000}, big);
        Path f = dir.resolve("t.tensors");
        s.save(f);
        TensorStore r = TensorStore.load(f);
        assertEquals(List.copyOf(s.names()), List.copyOf(r.names()));
        assertArrayEquals(new long[] {2, 3}, r.get("a.weight").shape());
        assertArrayEquals(s.get("a.weight").data(), r.get("a.weight").data());
        assertArrayEquals(big, r.get("big").data());

        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        assertEquals("STEPTNS1", new String(magic));
        assertEquals(3, b.getInt());
        assertEquals(8, b.getInt());
        b.position(b.position() + 8);
        assertEquals(2, b.getInt());
        assertEquals(2L, b.getLong());
        assertEquals(3L, b.getLong());
        assertEquals(1f, b.getFloat());
        assertEquals(8 + 4 + (4 + 8 + 4 + 16 + 24) + (4 + 1 + 4 + 8 + 4) + (4 + 3 + 4 + 8 + 280_000), Files.size(f));
    }

    @Test
    void rejectsBadFiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x");
        Files.write(f, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> TensorStore.load(f));
        assertThrows(IllegalArgumentException.class, () -> new TensorStore().put("x", new long[] {2}, new float[3]));
    }

    @Test
    void paramInitIsSeededAndFollowsTheRules() {
        Map<String, ParamSpec> specs = new java.util.LinkedHashMap<>();
        specs.put("u", new ParamSpec(new long[] {200, 100}, new ParamSpec.Uniform(0.1)));
        specs.put("n", new ParamSpec(new long[] {20_000}, new ParamSpec.Normal(0.02)));
        specs.put("c", new ParamSpec(new long[] {4}, new ParamSpec.Constant(1)));
        TensorStore a = ParamInit.init(specs, 42), b = ParamInit.init(specs, 42), c = ParamInit.init(specs, 43);
        assertArrayEquals(a.get("u").data(), b.get("u").data());
        assertEquals(false, java.util.Arrays.equals(a.get("u").data(), c.get("u").data()));
        double max = 0, mean = 0;
        for (float v : a.get("u").data()) max = Math.max(max, Math.abs(v));
        assertEquals(0.1, max, 1e-3);
        double sq = 0;
        for (float v : a.get("n").data()) { mean += v; sq += v * v; }
        mean /= 20_000;
        assertEquals(0.0, mean, 1e-3);
        assertEquals(0.02, Math.sqrt(sq / 20_000), 1e-3);
        assertArrayEquals(new float[] {1, 1, 1, 1}, a.get("c").data());
    }

    @Test
    void unetInitUsesPyTorchBounds() {
        ConditionalUnet1d net = new ConditionalUnet1d(UnetConfig.of(2, 40, List.of(64, 128, 256), 256), 16);
        Map<String, ParamSpec> p = net.parameters();
        // Conv1d(2, 64, 5): fan_in 10; ConvTranspose1d(128, 128, 4): fan_in = out * k = 512; GroupNorm gamma 1.
        assertEquals(new ParamSpec.Uniform(1 / Math.sqrt(10)), p.get("down_modules.0.0.blocks.0.block.0.weight").init());
        assertEquals(new ParamSpec.Uniform(1 / Math.sqrt(512)), p.get("up_modules.0.2.conv.weight").init());
        assertEquals(new ParamSpec.Uniform(1 / Math.sqrt(296)), p.get("mid_modules.0.cond_encoder.1.bias").init());
        assertEquals(new ParamSpec.Constant(1), p.get("final_conv.0.block.1.weight").init());
    }
}
