#version 450
// Rotary position embedding in place: for row r, head h and pair i < rotaryDims / 2, angle
// theta = positions[r] * invFreq[i]; NEOX pairs columns (i, i + rotaryDims/2), NORMAL pairs (2i, 2i + 1).
// invFreq comes from the host as a (hi, lo) float pair per i (computed in double, as the CPU does) and theta is
// reduced modulo 2 pi in pieces (Cody-Waite) before cos/sin, which keep full accuracy only near zero on GPUs.
//
// Bindings: 0 x f32 [rows][heads * headDim] (read and written), 1 positions i32 (column 0 of [rows][posCols]),
// 2 invFreq f32 [half][2].
layout(local_size_x = 256) in;

layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Pos { int pos[]; };
layout(std430, binding = 2) readonly buffer F { float freq[]; };

layout(push_constant) uniform Push {
    uint rows, heads, headDim, half_, neox, cols, posCols;
} p;

#include "grid.glsl"

const float TWO_PI_HI = 6.28125;
const float TWO_PI_MID = 1.9353071693331003e-3;
const float TWO_PI_LO = 1.0253131677018246e-11;
const float INV_TWO_PI = 0.15915494309189535;

void main() {
    uint item = flat_group() * 256u + gl_LocalInvocationID.x;
    if (item >= p.rows * p.heads * p.half_) return;
    uint i = item % p.half_, h = (item / p.half_) % p.heads, r = item / (p.half_ * p.heads);
    float ps = float(pos[r * p.posCols]);
    precise float t = ps * freq[2u * i];
    precise float err = fma(ps, freq[2u * i], -t) + ps * freq[2u * i + 1u];
    float n = round(t * INV_TWO_PI);
    precise float a = fma(-n, TWO_PI_HI, t);
    a = fma(-n, TWO_PI_MID, a);
    a = fma(-n, TWO_PI_LO, a);
    a += err;
    float c = cos(a), s = sin(a);
    uint base = r * p.cols + h * p.headDim;
    uint i0 = p.neox != 0u ? base + i : base + 2u * i;
    uint i1 = p.neox != 0u ? base + i + p.half_ : base + 2u * i + 1u;
    float x0 = x[i0], x1 = x[i1];
    x[i0] = x0 * c - x1 * s;
    x[i1] = x0 * s + x1 * c;
}
