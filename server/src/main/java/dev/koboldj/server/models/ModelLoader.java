package dev.koboldj.server.models;

import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.gguf.Metadata;
import dev.koboldj.engine.gguf.TensorInfo;
import dev.koboldj.server.scheduling.BackendWorker;
import dev.koboldj.server.scheduling.BatchObserver;
import dev.koboldj.server.scheduling.EmbeddingQueue;
import dev.koboldj.server.scheduling.Forward;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Loads a model file and starts its queue and worker. */
public final class ModelLoader {
    /** GGUF's tokenizer.ggml.token_type value for control tokens ([CLS], &lt;s&gt;, ...). */
    private static final int CONTROL_TOKEN = 3;

    private final TokenizerSource tokenizers;
    private final EmbeddingQueue.Limits limits;
    private final BatchObserver observer;
    private final UnaryOperator<Forward> forwards;

    public ModelLoader(TokenizerSource tokenizers, EmbeddingQueue.Limits limits, BatchObserver observer) {
        this(tokenizers, limits, observer, UnaryOperator.identity());
    }

    /** {@code forwards} wraps each model's forward pass (tests use it to hold batches at a gate). */
    public ModelLoader(TokenizerSource tokenizers, EmbeddingQueue.Limits limits, BatchObserver observer, UnaryOperator<Forward> forwards) {
        this.tokenizers = tokenizers;
        this.limits = limits;
        this.observer = observer;
        this.forwards = forwards;
    }

    public LoadedModel load(ModelSpec spec) throws IOException {
        long start = System.nanoTime();
        EmbeddingModel model = EmbeddingModel.load(spec.file(), spec.options().withMaxBatchTokens(limits.maxBatchTokens()));
        try {
            warmUp(model);
            String name = spec.servedName();
            GgufFile file = model.file();
            Metadata md = file.metadata();
            List<String> aliases = new ArrayList<>();
            String generalName = md.getString("general.name", null);
            if (generalName != null && !generalName.isBlank() && !generalName.equalsIgnoreCase(name)) aliases.add(generalName);
            TextTokenizer tokenizer = tokenizers.tokenizer(model);
            int vocab = file.hasTensor("token_embd.weight") ? (int) file.tensor("token_embd.weight").dim(1)
                    : tokenizer != null ? tokenizer.vocabSize() : Integer.MAX_VALUE;
            // A batch must hold the longest input the model accepts.
            EmbeddingQueue.Limits queueLimits = new EmbeddingQueue.Limits(Math.max(limits.maxBatchTokens(), model.maxTokens()),
                    limits.maxBatchSequences(), limits.maxRequests());
            EmbeddingQueue queue = new EmbeddingQueue(name, queueLimits, observer);
            BackendWorker worker = new BackendWorker(queue, forwards.apply(seqs -> rawVectors(model, seqs)), observer).start();
            ModelInfo info = new ModelInfo(name, model.architecture(), model.dimension(), model.maxTokens(),
                    model.pooling().name().toLowerCase(java.util.Locale.ROOT), model.backend().name(), model.backend().deviceName(),
                    file.fileSize(), Files.getLastModifiedTime(spec.file()).toInstant(), parameters(file), quantization(file),
                    headerDigest(file), Instant.now(), model.memory().weightBytes(), model.memory().activationBytes());
            return new LoadedModel(name, aliases, model, tokenizer, queue, worker, info, vocab, controlTokens(md),
                    spec.options().normalize(), System.nanoTime() - start);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * One short forward pass before the model is served, so that the first request does not pay for what a backend does
     * on first use (the CPU packs its weight matrices, a GPU builds its pipelines) and the reported memory includes it.
     */
    private static void warmUp(EmbeddingModel model) {
        model.embedTokens(new int[][]{{0, 0, 0, 0}});
    }

    private static float[][] rawVectors(EmbeddingModel model, int[][] seqs) {
        var out = model.embedTokens(seqs, false, 0, true);
        float[][] v = new float[out.size()][];
        for (int i = 0; i < v.length; i++) v[i] = out.get(i).vector();
        return v;
    }

    private static Set<Integer> controlTokens(Metadata md) {
        Set<Integer> ids = new HashSet<>();
        if (!md.has("tokenizer.ggml.token_type")) return ids;
        try {
            int[] types = md.getIntArray("tokenizer.ggml.token_type");
            for (int i = 0; i < types.length; i++) if (types[i] == CONTROL_TOKEN) ids.add(i);
        } catch (RuntimeException e) {
            // An unexpected array type: no token counts as special.
        }
        return ids;
    }

    private static long parameters(GgufFile file) {
        long n = 0;
        for (TensorInfo t : file.tensors()) n += t.elementCount();
        return n;
    }

    /** The storage type of most matrix bytes. */
    private static String quantization(GgufFile file) {
        Map<GgmlType, Long> bytes = new EnumMap<>(GgmlType.class);
        for (TensorInfo t : file.tensors()) if (t.rank() >= 2) bytes.merge(t.type(), t.byteSize(), Long::sum);
        return bytes.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().name()).orElse("F32");
    }

    /** SHA-256 of the file's header (metadata and tensor table): cheap at startup, and changes with the model. */
    private static String headerDigest(GgufFile file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long remaining = Math.min(file.dataOffset(), 64L << 20);
        try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (remaining > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), remaining));
                int n = ch.read(buf);
                if (n < 0) break;
                sha.update(buf.flip());
                remaining -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
