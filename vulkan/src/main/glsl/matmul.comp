#version 450
// out[m][nOffset + n] = act(x[m] . w[n] + bias[nOffset + n]) + residual[m][nOffset + n]
// for m < M and the N weight rows of one tensor part (rows nOffset .. nOffset + N of the whole weight).
//
// Tiled: a workgroup of 256 invocations (16 x 16) computes a BM x 64 tile of out (BM = 16 * TM), walking K in
// steps of 32. Per step it stages the x tile and the decoded weight tile in shared memory (k-major, so the inner
// loop reads one column of each), then each invocation accumulates TM x 4 outputs, strided by 16 in both
// directions. TM is 4 for batches and 1 for a handful of rows. Correct for any subgroup size (no subgroup ops).
//
// Bindings: 0 x [M][K] f32, 1 weight bytes (GGUF layout, rows of rowBytes), 2 bias f32 (whole vector),
// 3 residual [M][outCols] f32 (may alias out), 4 out [M][outCols] f32.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer W { uint w[]; };
layout(std430, binding = 2) readonly buffer B { float bias[]; };
layout(std430, binding = 3) readonly buffer R { float res[]; };
layout(std430, binding = 4) buffer O { float o[]; };

layout(push_constant) uniform Push {
    uint M, N, K, rowBytes, nOffset, outCols, flags, act;
} p;

#include "dequant.glsl"
#include "activation.glsl"

#ifndef TM
#define TM 4
#endif
#define BM (16 * TM)
#define BN 64
#define BK 32

shared float xs[BK][BM + 1];
shared float ws[BK][BN + 1];

void main() {
    uint tid = gl_LocalInvocationID.x, tx = tid & 15u, ty = tid >> 4;
    uint m0 = gl_WorkGroupID.y * BM, n0 = gl_WorkGroupID.x * BN;
    float acc[TM][4];
    for (int i = 0; i < TM; i++) for (int j = 0; j < 4; j++) acc[i][j] = 0.0;

    for (uint k0 = 0u; k0 < p.K; k0 += BK) {
        for (uint e = tid; e < BM * BK; e += 256u) {
            uint r = e / BK, c = e % BK, m = m0 + r, k = k0 + c;
            xs[c][r] = m < p.M && k < p.K ? x[m * p.K + k] : 0.0;
        }
        {
            uint r = tid >> 2, c = (tid & 3u) * 8u, n = n0 + r;
            float v[8];
            if (n < p.N) {
                dequant8(n * p.rowBytes, k0 + c, p.K, v);
            } else {
                for (uint i = 0u; i < 8u; i++) v[i] = 0.0;
            }
            for (uint i = 0u; i < 8u; i++) ws[c + i][r] = v[i];
        }
        barrier();
        for (uint kk = 0u; kk < BK; kk++) {
            float a[TM], b[4];
            for (uint i = 0u; i < TM; i++) a[i] = xs[kk][ty + 16u * i];
            for (uint j = 0u; j < 4u; j++) b[j] = ws[kk][tx + 16u * j];
            for (uint i = 0u; i < TM; i++) for (uint j = 0u; j < 4u; j++) acc[i][j] = fma(a[i], b[j], acc[i][j]);
        }
        barrier();
    }

    for (uint i = 0u; i < TM; i++) {
        uint m = m0 + ty + 16u * i;
        if (m >= p.M) continue;
        for (uint j = 0u; j < 4u; j++) {
            uint n = n0 + tx + 16u * j;
            if (n >= p.N) continue;
            uint col = p.nOffset + n, at = m * p.outCols + col;
            float s = acc[i][j];
            if ((p.flags & 1u) != 0u) s += bias[col];
            s = activate(s, p.act);
            if ((p.flags & 2u) != 0u) s += res[at];
            o[at] = s;
        }
    }
}
