#version 450
// Row normalisations, one workgroup per group of `group` consecutive columns of a row (rows of `cols`):
//   MODE 0 layer norm: (x - mean) / sqrt(var + eps) * gamma + beta (beta when hasBeta)
//   MODE 1 RMS norm:   x / sqrt(mean(x^2) + eps) * gamma (a whole row or one head per group)
//   MODE 2 L2:         x / |x| (a zero group stays zero)
// Sums are tree reductions in shared memory, correct for any subgroup size. out may alias x.
//
// Bindings: 0 x f32, 1 gamma f32 [group], 2 beta f32 [group], 3 out f32.
layout(local_size_x = 128) in;
#define WG 128u

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer G { float gamma[]; };
layout(std430, binding = 2) readonly buffer Be { float beta[]; };
layout(std430, binding = 3) writeonly buffer O { float o[]; };

layout(push_constant) uniform Push {
    uint rows, cols, group, mode, hasBeta;
    float eps;
} p;

#include "grid.glsl"

shared float red[WG];

float reduce_sum(float v) {
    uint t = gl_LocalInvocationID.x;
    red[t] = v;
    barrier();
    for (uint s = WG / 2u; s > 0u; s >>= 1) {
        if (t < s) red[t] += red[t + s];
        barrier();
    }
    float r = red[0];
    barrier();
    return r;
}

void main() {
    uint perRow = p.cols / p.group;
    uint g = flat_group();
    if (g >= p.rows * perRow) return;
    uint base = (g / perRow) * p.cols + (g % perRow) * p.group, t = gl_LocalInvocationID.x, n = p.group;
    float shift = 0.0;
    if (p.mode == 0u) {
        float s = 0.0;
        for (uint i = t; i < n; i += WG) s += x[base + i];
        shift = reduce_sum(s) / float(n);
    }
    float q = 0.0;
    for (uint i = t; i < n; i += WG) {
        float d = x[base + i] - shift;
        q += d * d;
    }
    float sq = reduce_sum(q);
    float scale;
    if (p.mode == 2u) {
        float norm = sqrt(sq);
        scale = norm > 0.0 ? 1.0 / norm : 1.0;
    } else {
        scale = 1.0 / sqrt(sq / float(n) + p.eps);
    }
    for (uint i = t; i < n; i += WG) {
        float v = (x[base + i] - shift) * scale;
        if (p.mode != 2u) {
            v *= gamma[i];
            if (p.hasBeta != 0u) v += beta[i];
        }
        o[base + i] = v;
    }
}
