package dev.koboldj.engine.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * A GGUF array value. {@code values} holds the elements in the Java type of the element type: byte[] for
 * UINT8/INT8, short[] for (U)INT16, int[] for (U)INT32, long[] for (U)INT64, float[], double[], boolean[],
 * String[] for STRING and MetadataArray[] for nested arrays. Unsigned values keep their bit pattern.
 */
public record MetadataArray(ValueType elementType, Object values) {
    public MetadataArray {
        Objects.requireNonNull(elementType);
        Class<?> expected = switch (elementType) {
            case UINT8, INT8 -> byte[].class;
            case UINT16, INT16 -> short[].class;
            case UINT32, INT32 -> int[].class;
            case UINT64, INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            case ARRAY -> MetadataArray[].class;
        };
        if (!expected.isInstance(values)) {
            throw new IllegalArgumentException(elementType + " array needs " + expected.getSimpleName());
        }
    }

    public int length() {
        return java.lang.reflect.Array.getLength(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadataArray(ValueType t, Object v) && t == elementType && Arrays.deepEquals(new Object[]{values}, new Object[]{v});
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[]{values});
    }

    @Override
    public String toString() {
        return elementType + "[" + length() + "]";
    }
}
