package dev.koboldj.engine.gguf;

/** GGUF metadata value types with their on-disk ids ({@code enum gguf_type}) and fixed sizes (0 when variable). */
public enum ValueType {
    UINT8(0, 1), INT8(1, 1), UINT16(2, 2), INT16(3, 2), UINT32(4, 4), INT32(5, 4), FLOAT32(6, 4),
    BOOL(7, 1), STRING(8, 0), ARRAY(9, 0), UINT64(10, 8), INT64(11, 8), FLOAT64(12, 8);

    public final int id;
    /** Encoded size in bytes for fixed-size types; 0 for STRING and ARRAY. */
    public final int size;

    ValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    /** The type with this id, or null. */
    public static ValueType byId(int id) {
        for (ValueType t : values()) if (t.id == id) return t;
        return null;
    }

    /** The smallest number of bytes one value of this type can take in a file (for bounds checks). */
    int minEncodedSize() {
        return switch (this) {
            case STRING -> 8;          // uint64 length
            case ARRAY -> 12;          // uint32 element type + uint64 count
            default -> size;
        };
    }
}
