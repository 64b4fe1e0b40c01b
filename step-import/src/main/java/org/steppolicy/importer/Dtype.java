package org.steppolicy.importer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Element types of stored tensors (PyTorch storages, safetensors entries), all little-endian, and their conversion to
 * float32: the native checkpoint holds float32 only, so half and bfloat16 widen exactly and float64 rounds.
 */
public enum Dtype {
    F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** The PyTorch legacy storage class of this type ({@code torch.FloatStorage} ...), as torch.save names it. */
    public static Dtype ofTorchStorage(String className) {
        return switch (className) {
            case "FloatStorage" -> F32;
            case "DoubleStorage" -> F64;
            case "HalfStorage" -> F16;
            case "BFloat16Storage" -> BF16;
            case "LongStorage" -> I64;
            case "IntStorage" -> I32;
            case "ShortStorage" -> I16;
            case "CharStorage" -> I8;
            case "ByteStorage" -> U8;
            case "BoolStorage" -> BOOL;
            default -> null;
        };
    }

    /** A safetensors dtype name ("F32", "BF16", ...), or null for one we do not read (F8 variants, U16...). */
    public static Dtype ofSafetensors(String name) {
        return switch (name) {
            case "F32" -> F32;
            case "F64" -> F64;
            case "F16" -> F16;
            case "BF16" -> BF16;
            case "I64" -> I64;
            case "I32" -> I32;
            case "I16" -> I16;
            case "I8" -> I8;
            case "U8" -> U8;
            case "BOOL" -> BOOL;
            default -> null;
        };
    }

    /** Element {@code index} of a little-endian buffer of this type, as a float. */
    public float read(ByteBuffer b, long index) {
        int at = Math.toIntExact(index * bytes);
        return switch (this) {
            case F32 -> b.getFloat(at);
            case F64 -> (float) b.getDouble(at);
            case F16 -> halfToFloat(b.getShort(at));
            case BF16 -> Float.intBitsToFloat((b.getShort(at) & 0xFFFF) << 16);
            case I64 -> (float) b.getLong(at);
            case I32 -> (float) b.getInt(at);
            case I16 -> b.getShort(at);
            case I8 -> b.get(at);
            case U8 -> b.get(at) & 0xFF;
            case BOOL -> b.get(at) != 0 ? 1f : 0f;
        };
    }

    /** IEEE 754 binary16 to float32 (exact; Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16, exp = (h >>> 10) & 0x1F, mant = h & 0x3FF;
        if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));   // inf, NaN
        if (exp == 0) {
            float v = mant * 0x1p-24f;                                                      // subnormal (or zero)
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * A strided view of a raw buffer as a dense row-major float array: element {@code (i0, i1, ...)} sits at
     * {@code offset + sum(i_k * stride_k)} (PyTorch's storage offset and strides, in elements).
     */
    public float[] toFloats(byte[] raw, long offset, long[] shape, long[] stride) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long n = 1;
        for (long d : shape) n *= d;
        float[] out = new float[Math.toIntExact(n)];
        if (n == 0) return out;
        long[] idx = new long[shape.length];
        long at = offset;
        for (int i = 0; i < out.length; i++) {
            out[i] = read(b, at);
            // odometer increment, last axis fastest
            for (int k = shape.length - 1; k >= 0; k--) {
                idx[k]++;
                at += stride[k];
                if (idx[k] < shape[k]) break;
                at -= stride[k] * shape[k];
                idx[k] = 0;
            }
        }
        return out;
    }
}
