#version 450
// Rotary position embedding in place: for row r, head h and pair i < rotaryDims / 2, angle
// theta = positions[r] * invFreq[i]; NEOX pairs columns (i, i + rotaryDims/2), NORMAL pairs (2i, 2i + 1).
//
// Angles reach thousands of radians, where float32 products and GLSL's sin/cos (2^-11 absolute error allowed)
// lose the digits that matter. So the host gives each frequency as turns per position, invFreq / 2 pi, in 64-bit
// fixed point (turns[i] = (high word, low word) of round(2^64 * invFreq / 2pi)); position * turns mod 2^64 keeps
// exactly the fraction of a turn, whose top 32 bits give the angle in [-pi, pi) within 2e-7 rad. sin and cos are
// then polynomials after reduction to [-pi/4, pi/4]. Positions are non-negative (token positions).
//
// Bindings: 0 x f32 [rows][heads * headDim] (read and written), 1 positions i32 (column 0 of [rows][posCols]),
// 2 turns u32 [half][2].
layout(local_size_x = 256) in;

layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Pos { int pos[]; };
layout(std430, binding = 2) readonly buffer T { uint turns[]; };

layout(push_constant) uniform Push {
    uint rows, heads, headDim, half_, neox, cols, posCols;
} p;

#include "grid.glsl"

const float TWO_PI_OVER_2_32 = 1.462918119976564e-9;
const float PIO2_HI = 1.5703125;
const float PIO2_LO = 4.8382679233327508e-4;
const float TWO_OVER_PI = 0.6366197723675814;

// (sin a, cos a) for |a| <= pi: a - n pi/2 is exact in its first step (n <= 2, PIO2_HI has 8 bits), then Taylor
// polynomials on [-pi/4, pi/4] (truncation error below 3e-8).
vec2 sincos(float a) {
    float n = round(a * TWO_OVER_PI);
    float r = (a - n * PIO2_HI) - n * PIO2_LO;
    float r2 = r * r;
    float s = r + r * r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0))));
    float c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0))));
    int q = int(n) & 3;
    if (q == 0) return vec2(s, c);
    if (q == 1) return vec2(c, -s);
    if (q == 2) return vec2(-s, -c);
    return vec2(-c, s);
}

void main() {
    uint item = flat_group() * 256u + gl_LocalInvocationID.x;
    if (item >= p.rows * p.heads * p.half_) return;
    uint i = item % p.half_, h = (item / p.half_) % p.heads, r = item / (p.half_ * p.heads);
    uint position = uint(pos[r * p.posCols]);
    uint hi1, lo1, hi2, lo2;
    umulExtended(position, turns[2u * i + 1u], hi1, lo1);
    umulExtended(position, turns[2u * i], hi2, lo2);
    uint fraction = lo2 + hi1 + (lo1 >> 31); // top word of position * turns mod 2^64, rounded
    vec2 sc = sincos(float(int(fraction)) * TWO_PI_OVER_2_32);
    float s = sc.x, c = sc.y;
    uint base = r * p.cols + h * p.headDim;
    uint i0 = p.neox != 0u ? base + i : base + 2u * i;
    uint i1 = p.neox != 0u ? base + i + p.half_ : base + 2u * i + 1u;
    float x0 = x[i0], x1 = x[i1];
    x[i0] = x0 * c - x1 * s;
    x[i1] = x0 * s + x1 * c;
}
