package dev.koboldj.engine.imports;

import dev.koboldj.engine.gguf.GgmlType;
import java.io.IOException;
import java.io.OutputStream;
import dev.koboldj.engine.gguf.FileType;
import dev.koboldj.engine.gguf.TensorInfo;
import dev.koboldj.engine.quant.ModelQuantizer;
import dev.koboldj.engine.quant.Quants;
import java.lang.foreign.MemorySegment;

/** Chooses and writes the GGUF encoding of imported float tensors, following llama.cpp's converter rules. */
public final class TensorEncoder {
    private TensorEncoder() {
    }

    /** Imported float tensors are stored as {@code llama-quantize} would convert them: kept ones stay F32. */
    public static GgmlType typeFor(String name, long[] dims, GgmlType requested) {
        GgmlType t = ModelQuantizer.typeFor(new TensorInfo(name, dims, GgmlType.F32, 0), requested);
        return t == null ? GgmlType.F32 : t;
    }

    /** llama.cpp's {@code general.file_type} for a model whose matrices are mostly {@code type}. */
    public static int fileType(GgmlType type) {
        FileType f = ModelQuantizer.TARGETS.get(type);
        if (f == null) throw new IllegalArgumentException("cannot write models of type " + type + " (supported: " + ModelQuantizer.TARGETS.keySet() + ")");
        return f.id;
    }

    /** Writes {@code values} encoded as {@code type} with llama.cpp's reference quantizer for that format. */
    public static void encode(float[] values, GgmlType type, OutputStream out) throws IOException {
        byte[] bytes = new byte[Math.toIntExact(type.bytesFor(values.length))];
        Quants.quantizer(type).quantize(values, 0, values.length, MemorySegment.ofArray(bytes), 0);
        out.write(bytes);
    }
}
