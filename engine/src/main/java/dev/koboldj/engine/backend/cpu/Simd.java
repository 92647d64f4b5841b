package dev.koboldj.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
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

    private Simd() {
    }
}
