package org.steppolicy.data.zarr;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes one Blosc 1 frame (c-blosc's chunk format, as numcodecs writes it): a 16-byte header (version, versionlz,
 * flags, typesize, nbytes, blocksize, cbytes), the block start offsets, then per block one or {@code typesize} streams,
 * each prefixed by its compressed size (equal to its raw size when stored uncompressed). Blocks are unshuffled
 * (byte shuffle, or bit shuffle with c-blosc's rule for blocks whose element count is not a multiple of 8).
 * Codecs: zstd and lz4 (aircompressor), zlib (java.util.zip); blosclz and snappy are refused with a clear message.
 */
public final class BloscDecoder {
    private static final int HEADER = 16;
    private static final int FLAG_SHUFFLE = 0x1, FLAG_MEMCPYED = 0x2, FLAG_BITSHUFFLE = 0x4, FLAG_DONT_SPLIT = 0x10;
    private static final String[] CODECS = {"blosclz", "lz4", "snappy", "zlib", "zstd"};

    private final ZstdDecompressor zstd = new ZstdDecompressor();
    private final Lz4Decompressor lz4 = new Lz4Decompressor();

    /** Header fields, for checks and reports. */
    public record Header(int version, int flags, int typesize, int nbytes, int blocksize, int cbytes) {
        public String codec() {
            int code = (flags >>> 5) & 0x7;
            return code < CODECS.length ? CODECS[code] : "codec#" + code;
        }
    }

    public static Header header(byte[] src) {
        if (src.length < HEADER) throw new IllegalArgumentException("Blosc frame shorter than its 16-byte header");
        ByteBuffer b = ByteBuffer.wrap(src).order(ByteOrder.LITTLE_ENDIAN);
        return new Header(src[0] & 0xff, src[2] & 0xff, src[3] & 0xff, b.getInt(4), b.getInt(8), b.getInt(12));
    }

    /** The decompressed bytes of a whole frame; IllegalArgumentException on anything malformed or unsupported. */
    public byte[] decode(byte[] src) {
        Header h = header(src);
        if (h.cbytes() != src.length) {
            throw new IllegalArgumentException("Blosc header says " + h.cbytes() + " bytes, the frame has " + src.length);
        }
        if (h.nbytes() < 0 || h.typesize() < 1) throw new IllegalArgumentException("bad Blosc header " + h);
        byte[] out = new byte[h.nbytes()];
        if (h.nbytes() == 0) return out;
        if ((h.flags() & FLAG_MEMCPYED) != 0) {
            if (src.length < HEADER + h.nbytes()) throw new IllegalArgumentException("Blosc memcpy frame is short");
            System.arraycopy(src, HEADER, out, 0, h.nbytes());
            return out;
        }
        if (h.blocksize() <= 0) throw new IllegalArgumentException("bad Blosc block size " + h.blocksize());
        ByteBuffer b = ByteBuffer.wrap(src).order(ByteOrder.LITTLE_ENDIAN);
        int nblocks = (int) ((h.nbytes() + (long) h.blocksize() - 1) / h.blocksize());
        int leftover = h.nbytes() % h.blocksize();
        boolean split = (h.flags() & FLAG_DONT_SPLIT) == 0;
        byte[] raw = new byte[h.blocksize()];
        for (int blk = 0; blk < nblocks; blk++) {
            boolean last = blk == nblocks - 1 && leftover > 0;
            int bsize = last ? leftover : h.blocksize();
            int nsplits = split && !last ? h.typesize() : 1;
            if (bsize % nsplits != 0) throw new IllegalArgumentException("Blosc block of " + bsize + " bytes in "
                    + nsplits + " streams");
            int streamBytes = bsize / nsplits;
            int pos = b.getInt(HEADER + 4 * blk);
            int rawPos = 0;
            for (int s = 0; s < nsplits; s++) {
                if (pos < 0 || pos + 4 > src.length) throw new IllegalArgumentException("Blosc stream offset out of frame");
                int clen = b.getInt(pos);
                pos += 4;
                if (clen < 0 || pos + clen > src.length) throw new IllegalArgumentException("Blosc stream overruns frame");
                if (clen == streamBytes) {
                    System.arraycopy(src, pos, raw, rawPos, streamBytes);
                } else {
                    int got = decompress(h, src, pos, clen, raw, rawPos, streamBytes);
                    if (got != streamBytes) {
                        throw new IllegalArgumentException("Blosc stream gave " + got + " bytes, expected " + streamBytes);
                    }
                }
                pos += clen;
                rawPos += streamBytes;
            }
            int dest = blk * h.blocksize();
            if ((h.flags() & FLAG_BITSHUFFLE) != 0 && h.typesize() > 1) {
                bitUnshuffle(raw, bsize, h.typesize(), h.version(), out, dest);
            } else if ((h.flags() & FLAG_SHUFFLE) != 0 && h.typesize() > 1) {
                byteUnshuffle(raw, bsize, h.typesize(), out, dest);
            } else {
                System.arraycopy(raw, 0, out, dest, bsize);
            }
        }
        return out;
    }

    private int decompress(Header h, byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) {
        try {
            return switch (h.codec()) {
                case "zstd" -> zstd.decompress(src, off, len, dst, dstOff, dstLen);
                case "lz4" -> lz4.decompress(src, off, len, dst, dstOff, dstLen);
                case "zlib" -> inflate(src, off, len, dst, dstOff, dstLen);
                default -> throw new IllegalArgumentException("Blosc codec '" + h.codec() + "' is not supported "
                        + "(zstd, lz4 and zlib are)");
            };
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("corrupt " + h.codec() + " stream: " + e.getMessage(), e);
        }
    }

    private static int inflate(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(src, off, len);
            int n = 0;
            while (n < dstLen && !inf.finished()) {
                int k = inf.inflate(dst, dstOff + n, dstLen - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                n += k;
            }
            return n;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt zlib stream: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    /** Byte shuffle stores byte j of every element together; the bytes past the last whole element are as is. */
    static void byteUnshuffle(byte[] src, int bsize, int typesize, byte[] out, int dest) {
        int n = bsize / typesize;
        for (int j = 0; j < typesize; j++) {
            for (int i = 0; i < n; i++) out[dest + i * typesize + j] = src[j * n + i];
        }
        System.arraycopy(src, n * typesize, out, dest + n * typesize, bsize - n * typesize);
    }

    /**
     * Inverse of bitshuffle's transpose: bit k of byte j of element i is stored, LSB first, at bit index
     * (8j + k)·n + i of the block. c-blosc format 2 leaves a block untouched when its element count is not a multiple
     * of 8; later formats transpose the largest multiple of 8 elements and copy the rest.
     */
    static void bitUnshuffle(byte[] src, int bsize, int typesize, int version, byte[] out, int dest) {
        int n = bsize / typesize;
        if (version <= 2 && n % 8 != 0) {
            System.arraycopy(src, 0, out, dest, bsize);
            return;
        }
        n -= n % 8;
        int rowBytes = n / 8;
        java.util.Arrays.fill(out, dest, dest + n * typesize, (byte) 0);
        for (int row = 0; row < 8 * typesize; row++) {
            int j = row >>> 3, k = row & 7;
            int base = row * rowBytes;
            for (int q = 0; q < rowBytes; q++) {
                int bits = src[base + q] & 0xff;
                if (bits == 0) continue;
                for (int m = 0; m < 8; m++) {
                    if ((bits & (1 << m)) != 0) {
                        int i = q * 8 + m;
                        out[dest + i * typesize + j] |= (byte) (1 << k);
                    }
                }
            }
        }
        System.arraycopy(src, n * typesize, out, dest + n * typesize, bsize - n * typesize);
    }
}
