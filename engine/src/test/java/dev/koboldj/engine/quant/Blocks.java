package dev.koboldj.engine.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Test helpers: little-endian block builders, seeded data and error measures. */
final class Blocks {
    private Blocks() {
    }

    /** A block image of {@code size} bytes filled in with little-endian writes. */
    static final class Builder {
        final byte[] b;

        Builder(int size) {
            b = new byte[size];
        }

        Builder u8(int offset, int v) {
            b[offset] = (byte) v;
            return this;
        }

        Builder u16(int offset, int v) {
            b[offset] = (byte) v;
            b[offset + 1] = (byte) (v >>> 8);
            return this;
        }

        Builder u32(int offset, int v) {
            for (int i = 0; i < 4; i++) b[offset + i] = (byte) (v >>> (8 * i));
            return this;
        }

        Builder f32(int offset, float f) {
            return u32(offset, Float.floatToRawIntBits(f));
        }

        Builder fill(int from, int to, int v) {
            for (int i = from; i < to; i++) b[i] = (byte) v;
            return this;
        }

        MemorySegment segment() {
            return MemorySegment.ofArray(b.clone());
        }
    }

    static Builder block(int size) {
        return new Builder(size);
    }

    static float[] gaussian(long seed, int n, double scale) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * scale);
        return x;
    }

    /** sqrt(sum (y - x)^2 / sum x^2) over [from, to). */
    static double relRms(float[] x, float[] y, int from, int to) {
        double num = 0, den = 0;
        for (int i = from; i < to; i++) {
            double e = (double) y[i] - x[i];
            num += e * e;
            den += (double) x[i] * x[i];
        }
        return Math.sqrt(num / den);
    }

    /** Value equality per element (0.0 equals -0.0, NaN equals NaN), with the index in the failure message. */
    static void assertValues(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i]) && Float.isNaN(actual[i])) continue;
            assertEquals(expected[i], actual[i], 0f, "element " + i);
        }
    }
}
