package dev.koboldj.engine.imports;

import dev.koboldj.engine.gguf.GgmlType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Chooses and writes the GGUF encoding of imported float tensors, following llama.cpp's converter rules. */
public final class TensorEncoder {
    private TensorEncoder() {
    }

    /**
     * 1-D tensors (norms, biases) and the token-type table (llama.cpp adds its row to F32 activations directly) stay
     * F32; matrices take the requested type when their rows fit its blocks, else F16.
     */
    public static GgmlType typeFor(String name, long[] dims, GgmlType requested) {
        if (dims.length < 2 || name.equals("token_types.weight")) return GgmlType.F32;
        if (dims[0] % requested.blockSize != 0) return GgmlType.F16;
        return requested;
    }

    /** llama.cpp's {@code general.file_type} (enum llama_ftype) for a model whose matrices are mostly {@code type}. */
    public static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q2_K -> 10;
            case Q3_K -> 12;
            case Q4_K -> 15;
            case Q5_K -> 17;
            case Q6_K -> 18;
            case BF16 -> 32;
            default -> throw new IllegalArgumentException("no file type for " + type);
        };
    }

    /** Writes {@code values} encoded as {@code type}, little-endian. */
    public static void encode(float[] values, GgmlType type, OutputStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) type.bytesFor(values.length)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> { for (float v : values) buf.putFloat(v); }
            case F16 -> { for (float v : values) buf.putShort(Float.floatToFloat16(v)); }
            default -> throw new IllegalArgumentException("cannot encode " + type + " yet");
        }
        out.write(buf.array());
    }
}
