#version 450
// out[r] = dequantized row ids[r] of a weight table, for the rows of one tensor part (table rows partStart ..
// partStart + partRows). Each invocation decodes 8 consecutive elements. Ids outside the whole table produce a
// zero row (written by the dispatch of part 0), never an out-of-bounds read.
//
// Bindings: 0 ids i32 (column 0 of [rows][idsCols]), 1 table bytes, 2 out [rows][K] f32.
layout(local_size_x = 64) in;

layout(std430, binding = 0) readonly buffer Ids { int ids[]; };
layout(std430, binding = 1) readonly buffer W { uint w[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };

layout(push_constant) uniform Push {
    uint rows, K, rowBytes, partStart, partRows, totalRows, idsCols, firstPart;
} p;

#include "dequant.glsl"
#include "grid.glsl"

void main() {
    uint groups = (p.K + 7u) / 8u;
    uint item = flat_group() * 64u + gl_LocalInvocationID.x;
    if (item >= p.rows * groups) return;
    uint r = item / groups, k = (item % groups) * 8u;
    int id = ids[r * p.idsCols];
    float v[8];
    if (id >= int(p.partStart) && id < int(p.partStart + p.partRows)) {
        dequant8((uint(id) - p.partStart) * p.rowBytes, k, p.K, v);
    } else if (p.firstPart != 0u && (id < 0 || id >= int(p.totalRows))) {
        for (uint i = 0u; i < 8u; i++) v[i] = 0.0;
    } else {
        return;
    }
    for (uint i = 0u; i < 8u && k + i < p.K; i++) o[r * p.K + k + i] = v[i];
}
