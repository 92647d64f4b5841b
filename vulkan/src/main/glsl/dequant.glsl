// Weight decoding for every supported GGUF format, from the bytes of the file (no repacking at upload).
//
// Expects, declared before inclusion:
//   uint w[]   the weight bytes as little-endian 32-bit words (a storage buffer bound at the tensor part's start)
//   exactly one W_<FORMAT> define: W_F32 W_F16 W_BF16 W_Q8_0 W_Q4_0 W_Q4_1 W_Q5_0 W_Q5_1 W_Q2_K W_Q3_K W_Q4_K
//   W_Q5_K W_Q6_K
// Provides:
//   void dequant8(uint rowByte, uint k, uint K, out float v[8])
//     elements k .. k+7 of the row that starts at byte rowByte. For block formats k is a multiple of 8 and
//     k + 8 <= K (a row holds whole blocks, so K is a multiple of the block size); float formats read any k and
//     return 0 for elements at or beyond K.
//
// Blocks are read with byte addressing because most are not 4-byte aligned (Q4_0 blocks are 18 bytes); no 8- or
// 16-bit storage feature is needed. Layouts (ggml-common.h), with d/dmin/m IEEE half floats:
//   Q8_0  34 B: d, int8 qs[32]                                   x = d * q
//   Q4_0  18 B: d, qs[16] (element j: low nibble of qs[j], element j+16: high nibble)    x = d * (q - 8)
//   Q4_1  20 B: d, m, qs[16] (as Q4_0)                          x = d * q + m
//   Q5_0  22 B: d, uint32 qh (bit j = 5th bit of element j), qs[16] (as Q4_0)            x = d * (q - 16)
//   Q5_1  24 B: d, m, qh, qs[16]                                 x = d * q + m
//   Q2_K  84 B: scales[16] (low nibble scale, high nibble min), qs[64], d, dmin
//   Q3_K 110 B: hmask[32], qs[64], scales[12] (16 six-bit scales), d
//   Q4_K 144 B: d, dmin, scales[12] (8 six-bit scale/min pairs), qs[128]
//   Q5_K 176 B: d, dmin, scales[12], qh[32], qs[128]
//   Q6_K 210 B: ql[128], qh[64], int8 scales[16], d
// K-quant blocks hold 256 elements; the element order inside them is spelt out per format below.

uint wb(uint b) { return (w[b >> 2] >> ((b & 3u) << 3)) & 0xFFu; }
// 16 bits at an even byte offset.
uint wh(uint b) { return (w[b >> 2] >> ((b & 2u) << 3)) & 0xFFFFu; }
// 32 bits at any byte offset (the next word is read only when the value straddles it).
uint ww(uint b) {
    uint s = (b & 3u) << 3;
    uint lo = w[b >> 2];
    return s == 0u ? lo : (lo >> s) | (w[(b >> 2) + 1u] << (32u - s));
}
float wf16(uint b) { return unpackHalf2x16(wh(b)).x; }
// Byte i (0..7) of the 8 bytes held in words a (bytes 0..3) and b (bytes 4..7).
uint byte8(uint a, uint b, uint i) { return ((i < 4u ? a : b) >> ((i & 3u) << 3)) & 0xFFu; }

#if defined(W_F32)
#define BLOCK_K 1u
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
    uint base = rowByte >> 2;
    for (uint i = 0u; i < 8u; i++) v[i] = k + i < K ? uintBitsToFloat(w[base + k + i]) : 0.0;
}
#elif defined(W_F16)
#define BLOCK_K 1u
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
    for (uint i = 0u; i < 8u; i++) v[i] = k + i < K ? wf16(rowByte + 2u * (k + i)) : 0.0;
}
#elif defined(W_BF16)
#define BLOCK_K 1u
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
    for (uint i = 0u; i < 8u; i++) v[i] = k + i < K ? uintBitsToFloat(wh(rowByte + 2u * (k + i)) << 16) : 0.0;
}
#elif defined(W_Q8_0)
#define BLOCK_K 32u
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
    uint base = rowByte + 34u * (k >> 5), j = k & 31u;
    float d = wf16(base);
    int a = int(ww(base + 2u + j)), b = int(ww(base + 6u + j));
    for (uint i = 0u; i < 4u; i++) {
        v[i] = d * float(bitfieldExtract(a, int(8u * i), 8));
        v[i + 4u] = d * float(bitfieldExtract(b, int(8u * i), 8));
    }
}
#elif defined(W_Q4_0) || defined(W_Q4_1)
#define BLOCK_K 32u
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
#if defined(W_Q4_0)
    uint base = rowByte + 18u * (k >> 5), qs = base + 2u;
    float d = wf16(base), m = -8.0 * d;
#else
    uint base = rowByte + 20u * (k >> 5), qs = base + 4u;
    float d = wf16(base), m = wf16(base + 2u);
#endif
    uint j = k & 31u, shift = j >= 16u ? 4u : 0u;
    uint a = ww(qs + (j & 15u)), b = ww(qs + (j & 15u) + 4u);
    for (uint i = 0u; i < 8u; i++) v[i] = d * float((byte8(a, b, i) >> shift) & 15u) + m;
}
#elif defined(W_Q5_0) || defined(W_Q5_1)
#define BLOCK_K 32u
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
#if defined(W_Q5_0)
    uint base = rowByte + 22u * (k >> 5), qhAt = base + 2u;
    float d = wf16(base), m = -16.0 * d;
#else
    uint base = rowByte + 24u * (k >> 5), qhAt = base + 4u;
    float d = wf16(base), m = wf16(base + 2u);
#endif
    uint qh = ww(qhAt), qs = qhAt + 4u;
    uint j = k & 31u, shift = j >= 16u ? 4u : 0u;
    uint a = ww(qs + (j & 15u)), b = ww(qs + (j & 15u) + 4u);
    for (uint i = 0u; i < 8u; i++) {
        uint q = ((byte8(a, b, i) >> shift) & 15u) | (((qh >> (j + i)) & 1u) << 4);
        v[i] = d * float(q) + m;
    }
}
#elif defined(W_Q2_K)
#define BLOCK_K 256u
// Element e of a block: half h = e / 128, r = e % 128, j = r / 32, l = r % 32. Two bits at shift 2j of
// qs[32h + l]; scale byte scales[8h + 2j + l / 16]: x = d * (sc & 15) * q - dmin * (sc >> 4).
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
    uint base = rowByte + 84u * (k >> 8), e = k & 255u;
    uint h = e >> 7, r = e & 127u, j = r >> 5, l = r & 31u;
    uint sc = wb(base + 8u * h + 2u * j + (l >> 4));
    float dl = wf16(base + 80u) * float(sc & 15u), ml = wf16(base + 82u) * float(sc >> 4);
    uint qs = base + 16u + 32u * h + l;
    uint a = ww(qs), b = ww(qs + 4u);
    for (uint i = 0u; i < 8u; i++) v[i] = dl * float((byte8(a, b, i) >> (2u * j)) & 3u) - ml;
}
#elif defined(W_Q3_K)
#define BLOCK_K 256u
// As Q2_K for h, j, l and the two low bits (qs at byte 32); the third bit is bit 4h + j of hmask[l] (set: +0,
// clear: -4). Scale index s = 8h + 2j + l / 16: six bits, low four from the nibble of scales[s % 8] (low for
// s < 8, high otherwise), high two from scales[8 + s % 4] at shift 2 * (s / 4); x = d * (scale - 32) * q.
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
    uint base = rowByte + 110u * (k >> 8), e = k & 255u;
    uint h = e >> 7, r = e & 127u, j = r >> 5, l = r & 31u;
    uint s = 8u * h + 2u * j + (l >> 4), sc = base + 96u;
    uint low = s < 8u ? wb(sc + s) & 15u : wb(sc + s - 8u) >> 4;
    uint high = (wb(sc + 8u + (s & 3u)) >> (2u * (s >> 2))) & 3u;
    float dl = wf16(base + 108u) * float(int(low | (high << 4)) - 32);
    uint qs = base + 32u + 32u * h + l;
    uint a = ww(qs), b = ww(qs + 4u), ma = ww(base + l), mb = ww(base + l + 4u);
    for (uint i = 0u; i < 8u; i++) {
        int q = int((byte8(a, b, i) >> (2u * j)) & 3u) - (((byte8(ma, mb, i) >> (4u * h + j)) & 1u) != 0u ? 0 : 4);
        v[i] = dl * float(q);
    }
}
#elif defined(W_Q4_K) || defined(W_Q5_K)
#define BLOCK_K 256u
// Element e: chunk c = e / 64, r = e % 64, nibble n = r / 32 (low, high), l = r % 32; four bits from
// qs[32c + l]; Q5_K adds bit 2c + n of qh[l] as the fifth bit. Scale/min pair s = 2c + n, six bits each from
// scales[12]: s < 4: sc = q[s] & 63, m = q[s+4] & 63; else sc = (q[s+4] & 15) | (q[s-4] >> 6) << 4,
// m = (q[s+4] >> 4) | (q[s] >> 6) << 4. x = d * sc * q - dmin * m.
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
#if defined(W_Q4_K)
    uint base = rowByte + 144u * (k >> 8), qsAt = base + 16u;
#else
    uint base = rowByte + 176u * (k >> 8), qsAt = base + 48u;
#endif
    uint e = k & 255u, c = e >> 6, r = e & 63u, n = r >> 5, l = r & 31u, s = 2u * c + n, q = base + 4u;
    uint sc, mn;
    if (s < 4u) {
        sc = wb(q + s) & 63u;
        mn = wb(q + s + 4u) & 63u;
    } else {
        sc = (wb(q + s + 4u) & 15u) | ((wb(q + s - 4u) >> 6) << 4);
        mn = (wb(q + s + 4u) >> 4) | ((wb(q + s) >> 6) << 4);
    }
    float dl = wf16(base) * float(sc), ml = wf16(base + 2u) * float(mn);
    uint a = ww(qsAt + 32u * c + l), b = ww(qsAt + 32u * c + l + 4u);
#if defined(W_Q5_K)
    uint ha = ww(base + 16u + l), hb = ww(base + 20u + l);
#endif
    for (uint i = 0u; i < 8u; i++) {
        uint x = (byte8(a, b, i) >> (4u * n)) & 15u;
#if defined(W_Q5_K)
        x |= ((byte8(ha, hb, i) >> s) & 1u) << 4;
#endif
        v[i] = dl * float(x) - ml;
    }
}
#elif defined(W_Q6_K)
#define BLOCK_K 256u
// Element e: half h = e / 128, r = e % 128, group g = r / 32, l = r % 32. Low four bits: nibble (g >= 2: high)
// of ql[64h + 32 (g & 1) + l]; high two bits: qh[32h + l] at shift 2g; scale: int8 scales[8h + l / 16 + 2g];
// x = d * scale * (q - 32).
void dequant8(uint rowByte, uint k, uint K, out float v[8]) {
    uint base = rowByte + 210u * (k >> 8), e = k & 255u;
    uint h = e >> 7, r = e & 127u, g = r >> 5, l = r & 31u;
    float dl = wf16(base + 208u) * float(bitfieldExtract(int(wb(base + 192u + 8u * h + (l >> 4) + 2u * g)), 0, 8));
    uint ql = base + 64u * h + 32u * (g & 1u) + l, qh = base + 128u + 32u * h + l;
    uint a = ww(ql), b = ww(ql + 4u), ha = ww(qh), hb = ww(qh + 4u);
    uint shift = g >= 2u ? 4u : 0u;
    for (uint i = 0u; i < 8u; i++) {
        uint x = ((byte8(a, b, i) >> shift) & 15u) | (((byte8(ha, hb, i) >> (2u * g)) & 3u) << 4);
        v[i] = dl * float(int(x) - 32);
    }
}
#else
#error "define one W_<FORMAT>"
#endif
