package org.steppolicy.data.zarr;

import static org.junit.jupiter.api.Assertions.*;

import io.airlift.compress.zstd.ZstdCompressor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frames built here from the Blosc 1 chunk format, so that the decoder is checked without the official data. */
class BloscDecoderTest {
    static final int SHUFFLE = 1, MEMCPY = 2, BITSHUFFLE = 4, DONT_SPLIT = 0x10, ZSTD = 4 << 5;

    /** Forward byte shuffle from its definition. */
    static byte[] shuffle(byte[] block, int ts) {
        int n = block.length / ts;
        byte[] out = block.clone();
        for (int j = 0; j < ts; j++) for (int i = 0; i < n; i++) out[j * n + i] = block[i * ts + j];
        return out;
    }

    /** Forward bitshuffle from its definition: bit k of byte j of element i goes to bit (8j+k)·n + i. */
    static byte[] bitshuffle(byte[] block, int ts) {
        int n = block.length / ts;
        n -= n % 8;
        byte[] out = block.clone();
        Arrays.fill(out, 0, n * ts, (byte) 0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < ts; j++)
                for (int k = 0; k < 8; k++)
                    if ((block[i * ts + j] & (1 << k)) != 0) {
                        int bit = (8 * j + k) * n + i;
                        out[bit >>> 3] |= (byte) (1 << (bit & 7));
                    }
        return out;
    }

    static byte[] zstd(byte[] raw) {
        ZstdCompressor c = new ZstdCompressor();
        byte[] buf = new byte[c.maxCompressedLength(raw.length)];
        int len = c.compress(raw, 0, raw.length, buf, 0, buf.length);
        return Arrays.copyOf(buf, len);
    }

    /** A frame of format version 2: blocks of blocksize bytes, each shuffled then stored in one or ts streams. */
    static byte[] frame(byte[] data, int ts, int blocksize, int flags, int version) {
        int nblocks = (data.length + blocksize - 1) / blocksize;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] starts = new int[nblocks];
        int headerLen = 16 + 4 * nblocks;
        for (int b = 0; b < nblocks; b++) {
            starts[b] = headerLen + body.size();
            byte[] block = Arrays.copyOfRange(data, b * blocksize, Math.min(data.length, (b + 1) * blocksize));
            boolean leftover = block.length < blocksize;
            if ((flags & BITSHUFFLE) != 0) {
                int n = block.length / ts;
                if (version > 2 || n % 8 == 0) block = bitshuffle(block, ts);
            } else if ((flags & SHUFFLE) != 0) {
                block = shuffle(block, ts);
            }
            int nsplits = (flags & DONT_SPLIT) == 0 && !leftover ? ts : 1;
            int sb = block.length / nsplits;
            for (int s = 0; s < nsplits; s++) {
                byte[] stream = Arrays.copyOfRange(block, s * sb, (s + 1) * sb);
                byte[] c = zstd(stream);
                if (c.length >= stream.length) c = stream;   // stored raw: its size equals the stream's
                body.writeBytes(le(c.length));
                body.writeBytes(c);
            }
        }
        ByteBuffer h = ByteBuffer.allocate(headerLen).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) version).put((byte) 1).put((byte) (flags | ZSTD)).put((byte) ts);
        h.putInt(data.length).putInt(blocksize).putInt(headerLen + body.size());
        for (int s : starts) h.putInt(s);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(h.array());
        all.writeBytes(body.toByteArray());
        return all.toByteArray();
    }

    static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] floats(int n, long seed) {
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putFloat(200f + (float) r.nextGaussian() * 30f);
        return b.array();
    }

    @Test
    void decodesEveryLayout() {
        BloscDecoder d = new BloscDecoder();
        byte[] data = floats(1000, 1);     // 4000 bytes
        for (int version : new int[] {2, 3}) {
            for (int flags : new int[] {0, SHUFFLE, BITSHUFFLE, SHUFFLE | DONT_SPLIT, BITSHUFFLE | DONT_SPLIT}) {
                // 1024-byte blocks (256 floats, a multiple of 8) with a 928-byte leftover block (232 floats);
                // 1288-byte blocks (322 floats, not a multiple of 8) as in the Push-T action chunks
                for (int bs : new int[] {1024, 1288, 4000}) {
                    byte[] f = frame(data, 4, bs, flags, version);
                    assertArrayEquals(data, d.decode(f), "version " + version + " flags " + flags + " block " + bs);
                }
            }
        }
    }

    @Test
    void bitshuffleRuleOfFormat2LeavesUnalignedBlocksAlone() {
        byte[] data = floats(322, 2);
        byte[] f = frame(data, 4, data.length, BITSHUFFLE | DONT_SPLIT, 2);
        assertArrayEquals(data, new BloscDecoder().decode(f));
        // a format-3 frame of the same block does transpose the first 320 elements
        byte[] f3 = frame(data, 4, data.length, BITSHUFFLE | DONT_SPLIT, 3);
        assertArrayEquals(data, new BloscDecoder().decode(f3));
    }

    @Test
    void memcpyAndErrors() {
        byte[] data = floats(10, 3);
        ByteBuffer h = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) 2).put((byte) 1).put((byte) (MEMCPY | ZSTD)).put((byte) 4);
        h.putInt(data.length).putInt(data.length).putInt(16 + data.length).put(data);
        assertArrayEquals(data, new BloscDecoder().decode(h.array()));
        byte[] f = frame(floats(100, 4), 4, 400, SHUFFLE, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BloscDecoder().decode(Arrays.copyOf(f, f.length - 3)));
        assertTrue(e.getMessage().contains("Blosc header says"), e.getMessage());
        byte[] lz = f.clone();
        lz[2] = (byte) ((lz[2] & 0x1f) | (0 << 5));       // blosclz
        e = assertThrows(IllegalArgumentException.class, () -> new BloscDecoder().decode(lz));
        assertTrue(e.getMessage().contains("'blosclz' is not supported"), e.getMessage());
    }
}
