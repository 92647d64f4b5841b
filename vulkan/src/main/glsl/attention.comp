#version 450
// Softmax attention for one (query row, head) per workgroup, over the keys that row may see. The host lists one
// item per query row of every sequence: (query row, first key row, visible keys), the visible count already
// cut by the causal mask, so rows never attend across sequences. Keys are walked in tiles of WG with an online
// softmax (running max and sum, output rescaled when the max grows), so any key count fits in shared memory.
// Query head h reads key/value head h / kvGroup (grouped-query attention). Scores are scale * q.k in float32.
//
// Bindings: 0 q [rows][qCols], 1 k [keyRows][kCols], 2 v [keyRows][kCols], 3 out [rows][qCols], 4 items i32 [n][3].
// DPT (define) = head dimensions per invocation: headDim <= 64 * DPT.
layout(local_size_x = 64) in;
#define WG 64u
#ifndef DPT
#define DPT 1
#endif

layout(std430, binding = 0) readonly buffer Q { float q[]; };
layout(std430, binding = 1) readonly buffer K { float k[]; };
layout(std430, binding = 2) readonly buffer V { float v[]; };
layout(std430, binding = 3) writeonly buffer O { float o[]; };
layout(std430, binding = 4) readonly buffer Items { int items[]; };

layout(push_constant) uniform Push {
    uint itemCount, heads, kvGroup, headDim, qCols, kCols;
    float scale;
} p;

#include "grid.glsl"

shared float qs[DPT * 64];
shared float ps[WG];
shared float red[WG];

float reduce(float x, bool isMax) {
    uint t = gl_LocalInvocationID.x;
    red[t] = x;
    barrier();
    for (uint s = WG / 2u; s > 0u; s >>= 1) {
        if (t < s) red[t] = isMax ? max(red[t], red[t + s]) : red[t] + red[t + s];
        barrier();
    }
    float r = red[0];
    barrier();
    return r;
}

void main() {
    uint g = flat_group();
    if (g >= p.itemCount * p.heads) return;
    uint item = g / p.heads, h = g % p.heads, t = gl_LocalInvocationID.x, D = p.headDim;
    uint qRow = uint(items[3u * item]), keyStart = uint(items[3u * item + 1u]), visible = uint(items[3u * item + 2u]);
    uint kvOff = (h / p.kvGroup) * D;
    uint qBase = qRow * p.qCols + h * D;
    for (uint d = t; d < D; d += WG) qs[d] = q[qBase + d];
    barrier();

    float runMax = -1e30, runSum = 0.0;
    float acc[DPT];
    for (int i = 0; i < DPT; i++) acc[i] = 0.0;
    for (uint t0 = 0u; t0 < visible; t0 += WG) {
        uint j = t0 + t;
        float s = -1e30;
        if (j < visible) {
            uint kb = (keyStart + j) * p.kCols + kvOff;
            float dot = 0.0;
            for (uint d = 0u; d < D; d++) dot = fma(qs[d], k[kb + d], dot);
            s = p.scale * dot;
        }
        float newMax = max(runMax, reduce(s, true));
        float e = j < visible ? exp(s - newMax) : 0.0;
        ps[t] = e;
        float tileSum = reduce(e, false);
        float correction = exp(runMax - newMax);
        runSum = runSum * correction + tileSum;
        runMax = newMax;
        uint count = min(WG, visible - t0);
        for (uint i = 0u; i < DPT; i++) {
            uint d = t + WG * i;
            if (d >= D) break;
            float a = acc[i] * correction;
            for (uint jj = 0u; jj < count; jj++) a = fma(ps[jj], v[(keyStart + t0 + jj) * p.kCols + kvOff + d], a);
            acc[i] = a;
        }
        barrier();
    }
    float inv = 1.0 / runSum;
    for (uint i = 0u; i < DPT; i++) {
        uint d = t + WG * i;
        if (d < D) o[qBase + d] = acc[i] * inv;
    }
}
