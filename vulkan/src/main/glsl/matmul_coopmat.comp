#version 450
// The matmul of matmul.comp (same bindings, push constants and epilogue) on cooperative matrices: tensor cores on
// NVIDIA, matrix cores elsewhere, through VK_KHR_cooperative_matrix with a subgroup-scope 16x16x16 shape,
// float16 inputs and float32 accumulation. Used only on devices that list that shape (see DeviceInfo); it cannot
// run on lavapipe, so the conformance tests only compile it there.
//
// A workgroup of 4 subgroups computes a 64 x 64 tile of out. Per K step of 32 it stages x (converted to f16,
// clamped to the f16 range) and the decoded weight tile (f16) in shared memory, row-major [row][k] with a padded
// stride of 40 halves (80 bytes, a multiple of 16); subgroup s owns the 32 x 32 quarter (s / 2, s % 2) of the tile
// as 2 x 2 accumulators. The weight tile is the B operand read column-major (column n = weight row n). At the end
// the accumulators go through shared memory so the epilogue (bias, activation, residual) can mask partial tiles.
//
// Defines: one W_<FORMAT> (see dequant.glsl), SUBGROUP_SIZE (the workgroup is 4 subgroups of it).
#extension GL_KHR_cooperative_matrix : require
#extension GL_KHR_memory_scope_semantics : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require

#ifndef SUBGROUP_SIZE
#define SUBGROUP_SIZE 32
#endif
#define WG (4 * SUBGROUP_SIZE)
layout(local_size_x = WG) in;

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

#define BM 64
#define BN 64
#define BK 32
#define STRIDE 40

shared float16_t xs[BM * STRIDE];
shared float16_t ws[BN * STRIDE];
shared float tile[BM * BN];

const float F16_MAX = 65504.0;

void main() {
    uint tid = gl_LocalInvocationID.x;
    uint m0 = gl_WorkGroupID.y * BM, n0 = gl_WorkGroupID.x * BN;
    uint sg = gl_SubgroupID, rowBase = (sg >> 1) * 32u, colBase = (sg & 1u) * 32u;

    coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> acc[2][2];
    for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) acc[i][j] = coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator>(0.0);

    for (uint k0 = 0u; k0 < p.K; k0 += BK) {
        for (uint e = tid; e < BM * BK; e += WG) {
            uint r = e / BK, c = e % BK, m = m0 + r, k = k0 + c;
            float v = m < p.M && k < p.K ? x[m * p.K + k] : 0.0;
            xs[r * STRIDE + c] = float16_t(clamp(v, -F16_MAX, F16_MAX));
        }
        for (uint e = tid; e < BN * (BK / 8); e += WG) {
            uint r = e / (BK / 8), c = (e % (BK / 8)) * 8u, n = n0 + r;
            float v[8];
            if (n < p.N) {
                dequant8(n * p.rowBytes, k0 + c, p.K, v);
            } else {
                for (uint i = 0u; i < 8u; i++) v[i] = 0.0;
            }
            for (uint i = 0u; i < 8u; i++) ws[r * STRIDE + c + i] = float16_t(clamp(v[i], -F16_MAX, F16_MAX));
        }
        barrier();
        for (uint kk = 0u; kk < BK; kk += 16u) {
            coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseA> a[2];
            coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseB> b[2];
            for (uint i = 0u; i < 2u; i++) {
                coopMatLoad(a[i], xs, (rowBase + 16u * i) * STRIDE + kk, STRIDE, gl_CooperativeMatrixLayoutRowMajor);
                coopMatLoad(b[i], ws, (colBase + 16u * i) * STRIDE + kk, STRIDE, gl_CooperativeMatrixLayoutColumnMajor);
            }
            for (uint i = 0u; i < 2u; i++) for (uint j = 0u; j < 2u; j++) acc[i][j] = coopMatMulAdd(a[i], b[j], acc[i][j]);
        }
        barrier();
    }

    for (uint i = 0u; i < 2u; i++) for (uint j = 0u; j < 2u; j++) {
        coopMatStore(acc[i][j], tile, (rowBase + 16u * i) * BN + colBase + 16u * j, BN, gl_CooperativeMatrixLayoutRowMajor);
    }
    barrier();
    for (uint e = tid; e < BM * BN; e += WG) {
        uint m = m0 + e / BN, n = n0 + e % BN;
        if (m >= p.M || n >= p.N) continue;
        uint col = p.nOffset + n, at = m * p.outCols + col;
        float s = tile[e];
        if ((p.flags & 1u) != 0u) s += bias[col];
        s = activate(s, p.act);
        if ((p.flags & 2u) != 0u) s += res[at];
        o[at] = s;
    }
}
