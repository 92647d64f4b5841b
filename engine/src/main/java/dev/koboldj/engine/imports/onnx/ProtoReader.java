package dev.koboldj.engine.imports.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one protobuf message. Wire format: each field is a varint key {@code (number << 3) | wireType}
 * followed by a varint (type 0), 8 bytes (1), a varint length and that many bytes (2), or 4 bytes (5).
 * Length-delimited values are returned as zero-copy slices; every length is checked against the message.
 */
final class ProtoReader {
    static final int VARINT = 0, FIXED64 = 1, BYTES = 2, FIXED32 = 5;

    private final MemorySegment msg;
    private long pos;
    private int field;
    private int wireType;

    ProtoReader(MemorySegment msg) {
        this.msg = msg;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= msg.byteSize()) return false;
        long key = varint();
        field = (int) (key >>> 3);
        wireType = (int) (key & 7);
        return true;
    }

    int field() {
        return field;
    }

    int wireType() {
        return wireType;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= msg.byteSize()) throw new IllegalArgumentException("truncated protobuf varint at " + pos);
            byte b = msg.get(ValueLayout.JAVA_BYTE, pos++);
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) return result;
        }
        throw new IllegalArgumentException("protobuf varint longer than 10 bytes at " + pos);
    }

    MemorySegment bytes() {
        long len = varint();
        if (len < 0 || len > msg.byteSize() - pos) throw new IllegalArgumentException("protobuf length " + len + " overruns the message at " + pos);
        MemorySegment s = msg.asSlice(pos, len);
        pos += len;
        return s;
    }

    String string() {
        return new String(bytes().toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    float fixed32AsFloat() {
        if (msg.byteSize() - pos < 4) throw new IllegalArgumentException("truncated protobuf fixed32 at " + pos);
        float f = msg.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), pos);
        pos += 4;
        return f;
    }

    /** Skips the current field's value. */
    void skip() {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> pos += 8;
            case BYTES -> bytes();
            case FIXED32 -> pos += 4;
            default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType + " at " + pos);
        }
        if (pos > msg.byteSize()) throw new IllegalArgumentException("truncated protobuf message");
    }

    /** Reads a repeated int64 field, packed (one length-delimited run) or not (one varint). */
    void int64s(java.util.function.LongConsumer sink) {
        if (wireType == BYTES) {
            ProtoReader packed = new ProtoReader(bytes());
            while (packed.pos < packed.msg.byteSize()) sink.accept(packed.varint());
        } else {
            sink.accept(varint());
        }
    }
}
