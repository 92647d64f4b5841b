#version 450
// One output row per sequence from its query rows of hidden: MODE 1 mean, 2 first row (CLS), 3 last row
// (the ids of dev.koboldj.engine.backend.Pooling). An empty sequence gives a zero row. Each invocation owns one
// column of one sequence.
//
// Bindings: 0 hidden f32 [rows][cols], 1 out f32 [sequences][cols], 2 sequences i32 [n][2] = (first row, length).
layout(local_size_x = 64) in;

layout(std430, binding = 0) readonly buffer H { float hidden[]; };
layout(std430, binding = 1) writeonly buffer O { float o[]; };
layout(std430, binding = 2) readonly buffer S { int seqs[]; };

layout(push_constant) uniform Push {
    uint sequences, cols, mode;
} p;

#include "grid.glsl"

void main() {
    uint item = flat_group() * 64u + gl_LocalInvocationID.x;
    if (item >= p.sequences * p.cols) return;
    uint s = item / p.cols, c = item % p.cols;
    uint start = uint(seqs[2u * s]), len = uint(seqs[2u * s + 1u]);
    float r = 0.0;
    if (len > 0u) {
        if (p.mode == 2u) {
            r = hidden[start * p.cols + c];
        } else if (p.mode == 3u) {
            r = hidden[(start + len - 1u) * p.cols + c];
        } else {
            for (uint i = 0u; i < len; i++) r += hidden[(start + i) * p.cols + c];
            r *= 1.0 / float(len);
        }
    }
    o[s * p.cols + c] = r;
}
