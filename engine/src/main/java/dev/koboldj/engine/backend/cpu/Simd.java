package dev.koboldj.engine.backend.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species CPU kernels use. {@code -Dkoboldj.vectorBitSize=0} turns SIMD off (every kernel takes its
 * scalar twin); 128, 256 or 512 forces a width (narrower than the hardware's is fine, wider falls back to software).
 */
final class Simd {
    static final int BITS = Integer.getInteger("koboldj.vectorBitSize", FloatVector.SPECIES_PREFERRED.vectorBitSize());
    static final boolean ENABLED = BITS >= 128;
    static final VectorSpecies<Float> F = ENABLED ? VectorShape.forBitSize(BITS).withLanes(float.class) : FloatVector.SPECIES_128;
    static final int LANES = F.length();
    /**
     * Whether LANES bytes widen to one float vector with {@link #widen}: with 8 or 16 float lanes (the smallest byte
     * vector is 64-bit); otherwise byte formats are decoded by scalar code.
     */
    static final boolean BYTE_VECTORS = ENABLED && (LANES == 8 || LANES == 16);
    /** LANES bytes (meaningful where {@link #BYTE_VECTORS}). */
    static final VectorSpecies<Byte> BYTES = VectorShape.forBitSize(Math.max(64, LANES * 8)).withLanes(byte.class);

    /** The LANES signed bytes of {@code v} as floats. */
    static FloatVector widen(ByteVector v) {
        return (FloatVector) v.convertShape(VectorOperators.B2F, F, 0);
    }

    private Simd() {
    }
}
