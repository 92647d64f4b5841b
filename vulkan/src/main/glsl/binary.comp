#version 450
// Element-wise over n elements: OP 0 add (out = a + b), OP 1 SwiGLU (out = silu(a) * b). out may alias a or b
// (each invocation reads its element before writing it).
//
// Bindings: 0 a f32, 1 b f32, 2 out f32.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer O { float o[]; };

layout(push_constant) uniform Push {
    uint n, op;
} p;

#include "activation.glsl"
#include "grid.glsl"

void main() {
    uint i = flat_group() * 256u + gl_LocalInvocationID.x;
    if (i >= p.n) return;
    o[i] = p.op == 0u ? a[i] + b[i] : silu(a[i]) * b[i];
}
