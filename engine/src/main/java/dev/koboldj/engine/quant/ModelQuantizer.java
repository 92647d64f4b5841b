package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.FileType;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.gguf.GgufWriter;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.gguf.TensorInfo;
import dev.koboldj.engine.gguf.ValueType;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Re-encodes a GGUF model in another tensor type, like llama.cpp's {@code llama-quantize --pure} without an
 * importance matrix: every weight {@link TensorSelection} selects gets the requested type (with its shape
 * fallback), everything else is copied byte for byte; metadata is copied with {@code general.file_type} and
 * {@code general.quantization_version} updated. Tensors are streamed in chunks of rows, so models larger than
 * memory work, and the output is written atomically by {@link GgufWriter}: a failure or Ctrl-C leaves no output
 * file (and an existing one untouched).
 */
public final class ModelQuantizer {
    /**
     * Types a model can be quantized to, with the {@code general.file_type} written for each. A uniform K-quant
     * file is recorded as the "Small" variant: llama.cpp's "Medium" mixes (Q6_K for some tensors) are not applied.
     */
    public static final Map<GgmlType, FileType> TARGETS;

    static {
        Map<GgmlType, FileType> m = new EnumMap<>(GgmlType.class);
        m.put(GgmlType.F32, FileType.ALL_F32);
        m.put(GgmlType.F16, FileType.MOSTLY_F16);
        m.put(GgmlType.BF16, FileType.MOSTLY_BF16);
        m.put(GgmlType.Q8_0, FileType.MOSTLY_Q8_0);
        m.put(GgmlType.Q4_0, FileType.MOSTLY_Q4_0);
        m.put(GgmlType.Q4_1, FileType.MOSTLY_Q4_1);
        m.put(GgmlType.Q5_0, FileType.MOSTLY_Q5_0);
        m.put(GgmlType.Q5_1, FileType.MOSTLY_Q5_1);
        m.put(GgmlType.Q2_K, FileType.MOSTLY_Q2_K);
        m.put(GgmlType.Q3_K, FileType.MOSTLY_Q3_K_S);
        m.put(GgmlType.Q4_K, FileType.MOSTLY_Q4_K_S);
        m.put(GgmlType.Q5_K, FileType.MOSTLY_Q5_K_S);
        m.put(GgmlType.Q6_K, FileType.MOSTLY_Q6_K);
        TARGETS = Collections.unmodifiableMap(m);
    }

    /** ggml's GGML_QNT_VERSION, written as general.quantization_version like llama.cpp does. */
    public static final int QUANTIZATION_VERSION = 2;

    /** Elements converted per chunk (whole rows; at least one row). */
    private static final int CHUNK_ELEMENTS = 1 << 20;

    /** What happens to one tensor: {@code outputType == input.type()} means a byte copy. */
    public record TensorPlan(TensorInfo input, GgmlType outputType, String note) {
        public boolean converts() {
            return outputType != input.type();
        }

        public long outputBytes() {
            return outputType.bytesFor(input.elementCount());
        }
    }

    /** The whole conversion, decided before anything is written. */
    public record Plan(GgmlType target, FileType fileType, List<TensorPlan> tensors) {
        public Plan {
            tensors = List.copyOf(tensors);
        }

        public long inputBytes() {
            return tensors.stream().mapToLong(t -> t.input().byteSize()).sum();
        }

        public long outputBytes() {
            return tensors.stream().mapToLong(TensorPlan::outputBytes).sum();
        }

        public long converted() {
            return tensors.stream().filter(TensorPlan::converts).count();
        }

        /** Converted tensors whose shape forced a type other than the target. */
        public List<TensorPlan> fallbacks() {
            return tensors.stream().filter(t -> t.converts() && t.outputType() != target && TensorSelection.keepReason(t.input()) == null).toList();
        }

        /** Converted tensors that were already block-quantized (their error compounds). */
        public List<TensorPlan> requantized() {
            return tensors.stream().filter(t -> t.converts() && t.input().type().isQuantized()).toList();
        }
    }

    /** Progress over input bytes, called after each chunk; {@code tensor} is the tensor being written. */
    @FunctionalInterface
    public interface Progress {
        void update(TensorPlan tensor, int index, int count, long bytesDone, long bytesTotal);
    }

    private ModelQuantizer() {
    }

    /** The type named like llama.cpp / this CLI names it (case-insensitive: "q4_k", "Q8_0", "bf16"), or null. */
    /** The type {@code t} is stored in when a model is converted to {@code target}, or null when it is kept as it is. */
    public static GgmlType typeFor(TensorInfo t, GgmlType target) {
        return TensorSelection.keepReason(t) != null ? null : TensorSelection.typeFor(target, t.dim(0));
    }

    public static GgmlType target(String name) {
        GgmlType t = GgmlType.byName(name);
        return t != null && TARGETS.containsKey(t) ? t : null;
    }

    /**
     * Decides every tensor's output type. Throws {@link UnsupportedTensorTypeException} when a tensor that must be
     * converted has a type koboldj cannot decode, and IllegalArgumentException for an unsupported target or a
     * split file.
     */
    public static Plan plan(GgufFile in, GgmlType target) {
        FileType fileType = TARGETS.get(target);
        if (fileType == null) {
            throw new IllegalArgumentException("cannot quantize a model to " + target + " (supported: " + TARGETS.keySet() + ")");
        }
        if (in.metadata().get("split.count") instanceof Metadata.Value v && v.value() instanceof Number n && n.longValue() != 1) {
            throw new IllegalArgumentException("this is one part of a split GGUF model (split.count = " + n
                    + "); merge the parts first, e.g. with llama-gguf-split --merge");
        }
        List<TensorPlan> plans = new ArrayList<>();
        for (TensorInfo t : in.tensors()) {
            String keep = TensorSelection.keepReason(t);
            TensorPlan p;
            if (keep != null) {
                p = new TensorPlan(t, t.type(), "copied (" + keep + ")");
            } else {
                GgmlType out = TensorSelection.typeFor(target, t.dim(0));
                String note = out == target ? "quantized"
                        : "row length " + t.dim(0) + " is not a multiple of " + target.blockSize + ": " + out + " instead";
                p = new TensorPlan(t, out, out == t.type() ? "copied (already " + out + ")" : note);
            }
            if (p.converts() && !Quants.canCompute(t.type())) {
                throw new UnsupportedTensorTypeException(t.type(), "tensor '" + t.name() + "' is " + t.type()
                        + ", which koboldj cannot dequantize yet, so it cannot be converted to " + p.outputType()
                        + " (readable types: " + readableTypes() + ")");
            }
            plans.add(p);
        }
        return new Plan(target, fileType, plans);
    }

    /**
     * Quantizes {@code in} to {@code out}. Refuses {@code out} naming the input file. Returns the plan it carried out.
     */
    public static Plan quantize(Path in, Path out, GgmlType target, Progress progress) throws IOException {
        if (isSameFile(in, out)) {
            throw new IllegalArgumentException("the output file must differ from the input file (" + out + ")");
        }
        try (GgufFile file = GgufFile.open(in)) {
            Plan plan = plan(file, target);
            Metadata meta = new Metadata(file.metadata());
            meta.put("general.quantization_version", ValueType.UINT32, QUANTIZATION_VERSION);
            meta.put("general.file_type", ValueType.UINT32, plan.fileType().id);
            meta.remove("split.no").remove("split.count").remove("split.tensors.count");
            GgufWriter writer = new GgufWriter(meta);
            long total = plan.inputBytes();
            long[] done = {0};
            List<TensorPlan> tensors = plan.tensors();
            for (int i = 0; i < tensors.size(); i++) {
                TensorPlan p = tensors.get(i);
                int index = i;
                TensorInfo t = p.input();
                MemorySegment data = file.data(t);
                writer.addTensor(t.name(), p.outputType(), t.dims(), os -> {
                    if (p.converts()) {
                        convert(p, data, os, bytes -> progress.update(p, index, tensors.size(), done[0] += bytes, total));
                    } else {
                        GgufWriter.writeSegment(data, os);
                        progress.update(p, index, tensors.size(), done[0] += data.byteSize(), total);
                    }
                });
            }
            writer.write(out);
            return plan;
        }
    }

    private interface ChunkDone {
        void inputBytes(long bytes);
    }

    /** Decodes the input tensor in chunks of whole rows and re-encodes each chunk in the output type. */
    private static void convert(TensorPlan p, MemorySegment data, OutputStream os, ChunkDone done) throws IOException {
        TensorInfo t = p.input();
        long rowLength = t.dim(0);
        long elements = t.elementCount();
        if (elements == 0) return;
        QuantCodec decoder = Quants.codec(t.type());
        Quantizer encoder = Quants.quantizer(p.outputType());
        long rowsPerChunk = Math.max(1, CHUNK_ELEMENTS / rowLength);
        int chunkElements = Math.toIntExact(Math.min(elements, rowsPerChunk * rowLength));
        float[] values = new float[chunkElements];
        byte[] encoded = new byte[Math.toIntExact(p.outputType().bytesFor(chunkElements))];
        MemorySegment encodedSegment = MemorySegment.ofArray(encoded);
        for (long start = 0; start < elements; start += chunkElements) {
            int n = (int) Math.min(chunkElements, elements - start);
            long inOffset = t.type().bytesFor(start);
            decoder.dequantize(data, inOffset, values, 0, n);
            encoder.quantize(values, 0, n, encodedSegment, 0);
            os.write(encoded, 0, Math.toIntExact(p.outputType().bytesFor(n)));
            done.inputBytes(t.type().bytesFor(start + n) - inOffset);
        }
    }

    private static boolean isSameFile(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static String readableTypes() {
        StringBuilder sb = new StringBuilder();
        for (GgmlType t : GgmlType.values()) {
            if (Quants.canCompute(t)) sb.append(sb.isEmpty() ? "" : ", ").append(t);
        }
        return sb.toString();
    }
}
