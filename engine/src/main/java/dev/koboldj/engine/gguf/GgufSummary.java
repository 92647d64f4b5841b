package dev.koboldj.engine.gguf;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a GGUF file holds, for people: architecture, sizes, tokenizer, tensor types and the memory needed to load it.
 * Built from metadata only (never from tensor data) and never throws for missing or oddly typed keys: those are
 * null. Per-architecture keys are read under the file's own {@code general.architecture} prefix, so unknown
 * architectures are summarised too.
 *
 * @param contextLength   {@code <arch>.context_length}
 * @param embeddingLength {@code <arch>.embedding_length}
 * @param blockCount      {@code <arch>.block_count} (layers)
 * @param headCount       {@code <arch>.attention.head_count} (the largest entry when stored per layer)
 * @param headCountKv     {@code <arch>.attention.head_count_kv} (likewise)
 * @param poolingType     {@code <arch>.pooling_type}: 0 none, 1 mean, 2 cls, 3 last, 4 rank
 * @param vocabularySize  length of {@code tokenizer.ggml.tokens}, else {@code <arch>.vocab_size}
 * @param fileType        {@code general.file_type} (llama.cpp's llama_ftype id), named in {@code fileTypeName}
 */
public record GgufSummary(
        String path,
        long fileSize,
        int ggufVersion,
        String architecture,
        String name,
        long parameterCount,
        Long contextLength,
        Long embeddingLength,
        Long blockCount,
        Long headCount,
        Long headCountKv,
        Long poolingType,
        String poolingName,
        String tokenizerModel,
        Long vocabularySize,
        Long fileType,
        String fileTypeName,
        int tensorCount,
        List<TypeUsage> tensorTypes,
        long tensorBytes,
        long estimatedOverheadBytes,
        long estimatedMemoryBytes,
        String memoryEstimateRule) {

    /** How many tensors of one type the file has, with their elements and bytes. */
    public record TypeUsage(GgmlType type, int tensors, long elements, long bytes) {
    }

    /** Tokens in the batch the activation estimate assumes. */
    public static final int ESTIMATE_BATCH_TOKENS = 512;
    /** Fixed allowance for the runtime (JVM heap in use, code, tokenizer tables). */
    public static final long ESTIMATE_RUNTIME_BYTES = 64L << 20;
    public static final String MEMORY_ESTIMATE_RULE = "tensor bytes (memory-mapped) + 64 MiB runtime"
            + " + activations for one 512-token batch: 512 x embedding_length x 16 floats"
            + " + 512 x 512 x head_count attention scores (4 bytes each); no KV cache";

    public GgufSummary {
        tensorTypes = List.copyOf(tensorTypes);
    }

    public static GgufSummary of(GgufFile file) {
        Metadata m = file.metadata();
        String arch = string(m, "general.architecture");
        String p = arch == null ? null : arch + ".";

        long params = 0, tensorBytes = 0;
        Map<GgmlType, long[]> byType = new EnumMap<>(GgmlType.class);
        for (TensorInfo t : file.tensors()) {
            long n = t.elementCount();
            params += n;
            tensorBytes += t.byteSize();
            long[] u = byType.computeIfAbsent(t.type(), k -> new long[3]);
            u[0]++;
            u[1] += n;
            u[2] += t.byteSize();
        }
        List<TypeUsage> usage = new ArrayList<>();
        byType.forEach((type, u) -> usage.add(new TypeUsage(type, (int) u[0], u[1], u[2])));

        Long embedding = p == null ? null : integer(m, p + "embedding_length");
        Long heads = p == null ? null : integer(m, p + "attention.head_count");
        Long pooling = p == null ? null : integer(m, p + "pooling_type");
        Long vocab = arrayLength(m, "tokenizer.ggml.tokens");
        if (vocab == null && p != null) vocab = integer(m, p + "vocab_size");
        Long fileType = integer(m, "general.file_type");

        long overhead = ESTIMATE_RUNTIME_BYTES;
        if (embedding != null) overhead += (long) ESTIMATE_BATCH_TOKENS * embedding * 16 * Float.BYTES;
        if (heads != null) overhead += (long) ESTIMATE_BATCH_TOKENS * ESTIMATE_BATCH_TOKENS * heads * Float.BYTES;

        return new GgufSummary(
                file.path() == null ? null : file.path().toString(),
                file.fileSize(),
                file.version(),
                arch,
                string(m, "general.name"),
                params,
                p == null ? null : integer(m, p + "context_length"),
                embedding,
                p == null ? null : integer(m, p + "block_count"),
                heads,
                p == null ? null : integer(m, p + "attention.head_count_kv"),
                pooling,
                pooling == null ? null : poolingName(pooling),
                string(m, "tokenizer.ggml.model"),
                vocab,
                fileType,
                fileType == null ? null : FileType.describe(fileType),
                file.tensors().size(),
                usage,
                tensorBytes,
                overhead,
                tensorBytes + overhead,
                MEMORY_ESTIMATE_RULE);
    }

    /** llama.cpp's pooling type names (llama_pooling_type). */
    public static String poolingName(long type) {
        if (type < -1 || type > 4) return "unknown (" + type + ")";
        return switch ((int) type) {
            case -1 -> "unspecified";
            case 0 -> "none";
            case 1 -> "mean";
            case 2 -> "cls";
            case 3 -> "last";
            default -> "rank";
        };
    }

    private static String string(Metadata m, String key) {
        Metadata.Value v = m.get(key);
        return v != null && v.value() instanceof String s ? s : null;
    }

    /** An integer value of any width; for an integer array (per-layer values) its largest element; else null. */
    private static Long integer(Metadata m, String key) {
        Metadata.Value v = m.get(key);
        if (v == null) return null;
        try {
            return switch (v.type()) {
                case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> m.getLong(key);
                case ARRAY -> {
                    int[] values = m.getIntArray(key);
                    long max = Long.MIN_VALUE;
                    for (int x : values) max = Math.max(max, x);
                    yield values.length == 0 ? null : max;
                }
                default -> null;
            };
        } catch (RuntimeException e) {
            return null; // a value that does not fit, or an array of non-integers
        }
    }

    private static Long arrayLength(Metadata m, String key) {
        Metadata.Value v = m.get(key);
        return v != null && v.value() instanceof MetadataArray a ? (long) a.length() : null;
    }
}
