package dev.koboldj.engine.quant;

import static dev.koboldj.engine.quant.Blocks.assertValues;
import static dev.koboldj.engine.quant.Blocks.block;

import dev.koboldj.engine.gguf.GgmlType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Blocks assembled byte by byte from the format descriptions (ggml-common.h struct layouts), with the decoded
 * values worked out by hand in the comments. fp16 constants: 0x3C00 = 1.0, 0x3800 = 0.5, 0x3400 = 0.25,
 * 0x2C00 = 0.0625, 0xBC00 = -1.0.
 */
class HandBuiltBlocksTest {
    private static float[] decode(GgmlType t, Blocks.Builder b) {
        return Quants.dequantizeAll(b.segment(), t, t.blockSize);
    }

    @Test
    void q4_0() {
        // d = 0.5; qs[0] = 0x1F: weight 0 = (0xF - 8) * 0.5 = 3.5, weight 16 = (0x1 - 8) * 0.5 = -3.5;
        // every other byte 0x88: (8 - 8) * 0.5 = 0.
        var b = block(18).u16(0, 0x3800).fill(2, 18, 0x88).u8(2, 0x1F);
        float[] e = new float[32];
        e[0] = 3.5f;
        e[16] = -3.5f;
        assertValues(e, decode(GgmlType.Q4_0, b));
    }

    @Test
    void q4_1() {
        // d = 0.5, m = -1; qs[0] = 0x1F: weight 0 = 15 * 0.5 - 1 = 6.5, weight 16 = 1 * 0.5 - 1 = -0.5; others 0 * 0.5 - 1 = -1.
        var b = block(20).u16(0, 0x3800).u16(2, 0xBC00).u8(4, 0x1F);
        float[] e = new float[32];
        Arrays.fill(e, -1f);
        e[0] = 6.5f;
        e[16] = -0.5f;
        assertValues(e, decode(GgmlType.Q4_1, b));
    }

    @Test
    void q5_0() {
        // d = 0.25; qh = 0x80010001 sets the fifth bit of weights 0, 16 and 31; qs[0] = 0x3F.
        // weight 0 = (0xF | 16) - 16 = 15 -> 3.75; weight 16 = (0x3 | 16) - 16 = 3 -> 0.75;
        // weight 31 = (0 | 16) - 16 = 0 -> 0; every other weight (0 - 16) * 0.25 = -4.
        var b = block(22).u16(0, 0x3400).u32(2, 0x80010001).u8(6, 0x3F);
        float[] e = new float[32];
        Arrays.fill(e, -4f);
        e[0] = 3.75f;
        e[16] = 0.75f;
        e[31] = 0f;
        assertValues(e, decode(GgmlType.Q5_0, b));
    }

    @Test
    void q5_1() {
        // d = 0.25, m = 1; same qh/qs as q5_0: q0 = 31 -> 8.75, q16 = 19 -> 5.75, q31 = 16 -> 5.0, others q = 0 -> 1.
        var b = block(24).u16(0, 0x3400).u16(2, 0x3C00).u32(4, 0x80010001).u8(8, 0x3F);
        float[] e = new float[32];
        Arrays.fill(e, 1f);
        e[0] = 8.75f;
        e[16] = 5.75f;
        e[31] = 5f;
        assertValues(e, decode(GgmlType.Q5_1, b));
    }

    @Test
    void q8_0() {
        // d = 0.0625; qs[0] = -128 -> -8, qs[5] = -3 -> -0.1875, qs[31] = 127 -> 7.9375.
        var b = block(34).u16(0, 0x2C00).u8(2, -128).u8(2 + 5, -3).u8(2 + 31, 127);
        float[] e = new float[32];
        e[0] = -8f;
        e[5] = -0.1875f;
        e[31] = 7.9375f;
        assertValues(e, decode(GgmlType.Q8_0, b));
    }

    @Test
    void f16() {
        // 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504 (largest finite), 0x0001 = 2^-24 (smallest subnormal),
        // 0x7C00 = +inf, 0x7E00 = NaN.
        var b = block(12).u16(0, 0x3C00).u16(2, 0xC000).u16(4, 0x7BFF).u16(6, 0x0001).u16(8, 0x7C00).u16(10, 0x7E00);
        float[] e = {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, Float.NaN};
        assertValues(e, Quants.dequantizeAll(b.segment(), GgmlType.F16, 6));
    }

    @Test
    void bf16() {
        // The upper half of a float: 0x3F80 = 1, 0xC040 = -3, 0x7F80 = +inf, 0x0001 = float bits 0x00010000 = 2^-133.
        var b = block(8).u16(0, 0x3F80).u16(2, 0xC040).u16(4, 0x7F80).u16(6, 0x0001);
        float[] e = {1f, -3f, Float.POSITIVE_INFINITY, 0x1p-133f};
        assertValues(e, Quants.dequantizeAll(b.segment(), GgmlType.BF16, 4));
    }

    @Test
    void f32() {
        var b = block(8).f32(0, 1.5f).f32(4, -0x1p-140f);
        assertValues(new float[]{1.5f, -0x1p-140f}, Quants.dequantizeAll(b.segment(), GgmlType.F32, 2));
    }

    @Test
    void q2_K() {
        // d = 1 (byte 80), dmin = 0.5 (byte 82). scales byte g: low nibble scale, high nibble min:
        //   g0 = 0x23 (3, 2), g2 = 0x15 (5, 1), g4 = 0x01 (1, 0), g6 = 0xF0 (0, 15), g8 = 0x12 (2, 1), others 0.
        // qs[0] (byte 16) = 0xE4 = levels 0, 1, 2, 3 in bit pairs 0..3 -> weights 0, 32, 64, 96;
        // qs[32] (byte 48) = 0x03 -> weight 128 has level 3. Weight e = 128h + 32k + l is in group 8h + 2k + l/16.
        var b = block(84).u16(80, 0x3C00).u16(82, 0x3800)
                .u8(0, 0x23).u8(2, 0x15).u8(4, 0x01).u8(6, 0xF0).u8(8, 0x12)
                .u8(16, 0xE4).u8(48, 0x03);
        float[] e = new float[256];
        Arrays.fill(e, 0, 16, 1 * 3 * 0 - 0.5f * 2);     // group 0, level 0: -1
        e[32] = 1 * 5 * 1 - 0.5f * 1;                     // group 2, level 1: 4.5
        Arrays.fill(e, 33, 48, 1 * 5 * 0 - 0.5f * 1);     // group 2, level 0: -0.5
        e[64] = 1 * 1 * 2 - 0;                            // group 4, level 2: 2
        Arrays.fill(e, 96, 112, 1 * 0 * 0 - 0.5f * 15);   // group 6: scale 0, min 15: -7.5
        e[128] = 1 * 2 * 3 - 0.5f * 1;                    // group 8, level 3: 5.5
        Arrays.fill(e, 129, 144, 1 * 2 * 0 - 0.5f * 1);   // group 8, level 0: -0.5
        assertValues(e, decode(GgmlType.Q2_K, b));
    }

    @Test
    void q3_K() {
        // d = 0.25 (byte 108). Scale bytes 96..107 hold sixteen 6-bit values v_g (scale = v_g - 32):
        //   bytes 8..11 = 0xAA give every group top bits 2 (v = 32, scale 0), then
        //   group 0: low nibble of byte 0 = 1 -> v = 33, scale +1;
        //   group 9: high nibble of byte 1 = 0xD and bits 4-5 of byte 9 = 1 (byte 9 = 0x9A) -> v = 13 + 16 = 29, scale -3.
        // hmask[0] bit 0 and qs[0] = 3: weight 0 level = 3 - 0 = 3 -> 0.25 * 1 * 3 = 0.75;
        // weights 1..15 (group 0) have low bits 0 and no high bit: level -4 -> -1.
        // Group 9 is h = 1, k = 0, l = 16..31 = weights 144..159: high bit in bit 4 of hmask[l], low bits in qs[32 + l].
        // hmask[16] = 0x10, qs[48] (byte 80) = 2: weight 144 level 2 -> 0.25 * -3 * 2 = -1.5; weights 145..159 level -4 -> 3.
        var b = block(110).u16(108, 0x3400)
                .u8(96, 0x01).u8(97, 0xD0).u8(104, 0xAA).u8(105, 0x9A).u8(106, 0xAA).u8(107, 0xAA)
                .u8(0, 0x01).u8(16, 0x10)
                .u8(32, 0x03).u8(80, 0x02);
        float[] e = new float[256];
        e[0] = 0.75f;
        Arrays.fill(e, 1, 16, -1f);
        e[144] = -1.5f;
        Arrays.fill(e, 145, 160, 3f);
        assertValues(e, decode(GgmlType.Q3_K, b));
    }

    /** Scale bytes shared by the Q4_K and Q5_K cases: sub-block 0 scale 10 min 4, sub-block 5 scale 49 min 18. */
    private static Blocks.Builder kScales(Blocks.Builder b) {
        // Sub-block 0: byte 0 bits 0-5 = 10 (scale), byte 4 bits 0-5 = 4 (min).
        // Sub-block 5: byte 9 = 0x21 -> scale low 4 bits 1, min low 4 bits 2; byte 1 bits 6-7 = 3 -> scale 1 + 48 = 49;
        //              byte 5 bits 6-7 = 1 -> min 2 + 16 = 18. (Bytes 1 and 5 keep 0 in bits 0-5: sub-block 1 is 0/0.)
        return b.u8(4 + 0, 10).u8(4 + 4, 4).u8(4 + 9, 0x21).u8(4 + 1, 0xC0).u8(4 + 5, 0x40);
    }

    @Test
    void q4_K() {
        // d = 0.5, dmin = 0.25. Weight e = 64c + 32u + l is nibble u of qs[32c + l] in sub-block 2c + u.
        // qs[0] (byte 16) = 0x03: weight 0 = 0.5 * 10 * 3 - 0.25 * 4 = 14; weights 1..31 = -1.
        // qs[64] (byte 80) = 0xF0: weight 160 (c 2, u 1) = 0.5 * 49 * 15 - 0.25 * 18 = 363; weights 161..191 = -4.5.
        var b = kScales(block(144).u16(0, 0x3800).u16(2, 0x3400)).u8(16, 0x03).u8(80, 0xF0);
        float[] e = new float[256];
        e[0] = 14f;
        Arrays.fill(e, 1, 32, -1f);
        e[160] = 363f;
        Arrays.fill(e, 161, 192, -4.5f);
        assertValues(e, decode(GgmlType.Q4_K, b));
    }

    @Test
    void q5_K() {
        // As q4_K plus the fifth bit: weight 64c + 32u + l has it in bit 2c + u of qh[l] (bytes 16..47).
        // qh[0] = 0x21 sets it for weight 0 (bit 0) and weight 160 (bit 5). qs start at byte 48.
        // weight 0 = 0.5 * 10 * (3 + 16) - 1 = 94; weight 160 = 0.5 * 49 * (15 + 16) - 4.5 = 755.
        var b = kScales(block(176).u16(0, 0x3800).u16(2, 0x3400)).u8(16, 0x21).u8(48, 0x03).u8(112, 0xF0);
        float[] e = new float[256];
        e[0] = 94f;
        Arrays.fill(e, 1, 32, -1f);
        e[160] = 755f;
        Arrays.fill(e, 161, 192, -4.5f);
        assertValues(e, decode(GgmlType.Q5_K, b));
    }

    @Test
    void q6_K() {
        // d = 0.5 (byte 208), int8 scales at 192: group 0 = 2, group 15 = -1.
        // Weight 0: low 4 bits = ql[0] & 0xF = 5, top 2 bits = qh[0] (byte 128) & 3 = 2 -> q = 5 + 32 - 32 = 5 -> 0.5 * 2 * 5 = 5.
        // Weights 1..15 (group 0): q = 0 - 32 -> 0.5 * 2 * -32 = -32.
        // Group 15 = h 1, k 3, l 16..31 = weights 240..255: high nibble of ql[64 + l + 32], bits 6-7 of qh[32 + l].
        // ql[112] = 0xA0, qh[48] (byte 176) = 0xC0: weight 240 q = 10 + 48 - 32 = 26 -> 0.5 * -1 * 26 = -13;
        // weights 241..255: q = -32 -> 16.
        var b = block(210).u16(208, 0x3800).u8(192, 2).u8(207, -1)
                .u8(0, 0x05).u8(128, 0x02).u8(112, 0xA0).u8(176, 0xC0);
        float[] e = new float[256];
        e[0] = 5f;
        Arrays.fill(e, 1, 16, -32f);
        e[240] = -13f;
        Arrays.fill(e, 241, 256, 16f);
        assertValues(e, decode(GgmlType.Q6_K, b));
    }

    @Test
    void q8_K() {
        // fp32 d = 0.125; qs[0] = -128 -> -16, qs[255] = 127 -> 15.875; bsums (bytes 260..291) do not enter decoding.
        var b = block(292).f32(0, 0.125f).u8(4, -128).u8(4 + 255, 127).fill(260, 292, 0x7F);
        float[] e = new float[256];
        e[0] = -16f;
        e[255] = 15.875f;
        assertValues(e, decode(GgmlType.Q8_K, b));
    }
}
