package dev.koboldj.engine.quant;

/**
 * Conversions between float and the two 16-bit float formats GGUF stores, bit-compatible with ggml.
 * <ul>
 *   <li>F16 (IEEE binary16): round to nearest, ties to even, overflow to infinity, as ggml's
 *       {@code GGML_FP32_TO_FP16} (F16C {@code vcvtps2ph} with rounding mode 0); {@link Float#floatToFloat16} is
 *       exactly that.</li>
 *   <li>BF16 (upper half of a float): as ggml's {@code ggml_compute_fp32_to_bf16}: NaN keeps its upper bits and
 *       is forced quiet (bit 6 set); everything else rounds to nearest, ties to even, by adding
 *       {@code 0x7fff + lsb} before truncation (so the largest finite floats round to infinity). Subnormals are
 *       rounded, not flushed (the current ggml behaviour; some older builds flushed them to zero).</li>
 * </ul>
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    public static short floatToF16(float f) {
        return Float.floatToFloat16(f);
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    public static short floatToBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) {
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    /** What a float reads as after a round trip through F16 (the precision a stored fp16 scale has). */
    public static float roundToF16(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }
}
