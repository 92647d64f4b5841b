package dev.koboldj.engine.embed;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.BackendOptions;
import dev.koboldj.engine.backend.Backends;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.InsufficientMemoryException;
import dev.koboldj.engine.backend.MemoryUsage;
import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.model.Architectures;
import dev.koboldj.engine.model.Batch;
import dev.koboldj.engine.model.EncoderModel;
import dev.koboldj.engine.tokenizer.SpecialTokens;
import dev.koboldj.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The public embedding API: load a GGUF embedding model and turn token sequences into vectors. Thread-safe: calls
 * from many threads are served one forward pass at a time (the server's queue batches them first).
 */
public final class EmbeddingModel implements AutoCloseable {
    private final GgufFile file;
    private final Backend backend;
    private final EncoderModel model;
    private final EmbeddingOptions options;
    private final Pooling pooling;
    private final int maxTokens;
    private final Activations pooled;
    private final ReentrantLock lock = new ReentrantLock();
    private final Tokenizer tokenizer;

    private EmbeddingModel(GgufFile file, Tokenizer tokenizer, Backend backend, EncoderModel model, EmbeddingOptions options, int maxTokens) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.backend = backend;
        this.model = model;
        this.options = options;
        this.maxTokens = maxTokens;
        this.pooling = options.pooling() != null ? options.pooling() : model.defaultPooling();
        this.pooled = backend.allocate(ElementType.F32, model.maxBatchTokens(), model.hiddenSize());
    }

    public static EmbeddingModel load(Path gguf) throws IOException {
        return load(gguf, EmbeddingOptions.defaults());
    }

    public static EmbeddingModel load(Path gguf, EmbeddingOptions options) throws IOException {
        GgufFile file = GgufFile.open(gguf);
        Backend backend = null;
        try {
            Architectures.requireSupported(file.architecture());
            Tokenizer tokenizer = file.metadata().has("tokenizer.ggml.model") ? Tokenizer.fromMetadata(file.metadata()) : null;
            int positions = maxPositions(file);
            int maxTokens = options.maxTokens() > 0 ? Math.min(options.maxTokens(), positions) : Math.min(positions, EmbeddingOptions.DEFAULT_MAX_TOKENS);
            int batchTokens = Math.max(options.maxBatchTokens() > 0 ? options.maxBatchTokens() : EmbeddingOptions.DEFAULT_BATCH_TOKENS, maxTokens);
            backend = openBackend(file, options, batchTokens);
            EncoderModel model = Architectures.load(file, backend, batchTokens);
            return new EmbeddingModel(file, tokenizer, backend, model, options, maxTokens);
        } catch (RuntimeException e) {
            if (backend != null) backend.close();
            file.close();
            throw e;
        }
    }

    /**
     * Opens the requested backend and checks that weights plus activations fit its free memory. With "auto", a GPU
     * that is too small is given up for the CPU with one log line; a backend asked for by name fails with the numbers.
     */
    private static Backend openBackend(GgufFile file, EmbeddingOptions options, int batchTokens) {
        BackendOptions bo = new BackendOptions(options.threads(), options.device(), options.forceStaging());
        Backend backend = Backends.open(options.backend(), bo);
        long weights = file.tensors().stream().mapToLong(t -> t.byteSize()).sum();
        long activations = Architectures.activationBytes(file.metadata(), batchTokens) + (long) batchTokens * 4 * file.metadata().getInt(file.architecture() + ".embedding_length", 0);
        MemoryUsage mu = backend.memory();
        long free = mu.capacityBytes() < 0 ? Long.MAX_VALUE : mu.capacityBytes() - mu.totalBytes();
        if (weights + activations <= free) return backend;
        String numbers = String.format("%s needs %s (weights %s + activations %s for %d batch tokens) but the %s backend (%s) has %s free",
                file.path() == null ? "the model" : file.path().getFileName(), MemoryUsage.mib(weights + activations), MemoryUsage.mib(weights),
                MemoryUsage.mib(activations), batchTokens, backend.name(), backend.deviceName(), MemoryUsage.mib(free));
        backend.close();
        if ("auto".equalsIgnoreCase(options.backend()) && !"cpu".equals(backend.name())) {
            System.getLogger("koboldj.embed").log(System.Logger.Level.WARNING, numbers + "; using the CPU instead");
            return Backends.open("cpu", bo);
        }
        throw new InsufficientMemoryException(numbers);
    }

    /** Memory the model holds on its backend (weights and activation buffers). */
    public MemoryUsage memory() {
        return backend.memory();
    }

    private static int maxPositions(GgufFile file) {
        return file.metadata().getInt(file.architecture() + ".context_length", EmbeddingOptions.DEFAULT_MAX_TOKENS);
    }

    /** Embedding dimension. */
    public int dimension() {
        return model.hiddenSize();
    }

    /** The most tokens one input may have; longer inputs are truncated (or refused, as the caller asks). */
    public int maxTokens() {
        return maxTokens;
    }

    public Pooling pooling() {
        return pooling;
    }

    public String architecture() {
        return model.architecture();
    }

    public Backend backend() {
        return backend;
    }

    public GgufFile file() {
        return file;
    }

    /** Vectors for token sequences, normalised as the load options say. */
    public float[][] embedTokens(int[][] sequences) {
        List<Embedding> out = embedTokens(sequences, options.normalize(), 0, true);
        float[][] v = new float[out.size()][];
        for (int i = 0; i < v.length; i++) v[i] = out.get(i).vector();
        return v;
    }

    /**
     * Vectors for token sequences. Sequences longer than {@link #maxTokens()} are cut at the end when
     * {@code truncate} is set and refused otherwise. {@code dimensions} > 0 keeps the first that many components
     * (Matryoshka) before normalising.
     */
    public List<Embedding> embedTokens(int[][] sequences, boolean normalize, int dimensions, boolean truncate) {
        int[][] seqs = new int[sequences.length][];
        boolean[] cut = new boolean[sequences.length];
        int vocab = vocabularySize();
        for (int i = 0; i < sequences.length; i++) {
            int[] s = sequences[i];
            if (s.length == 0) throw new IllegalArgumentException("input " + i + " has no tokens");
            for (int id : s) {
                if (id < 0 || id >= vocab) throw new IllegalArgumentException("input " + i + " has token id " + id + " outside the vocabulary [0, " + vocab + ")");
            }
            if (s.length > maxTokens) {
                if (!truncate) throw new InputTooLongException(i, s.length, maxTokens);
                s = Arrays.copyOf(s, maxTokens);
                cut[i] = true;
            }
            seqs[i] = s;
        }
        return embedPrepared(seqs, cut, normalize, dimensions);
    }

    /** The vector of one text, as the load options say (normalised by default). */
    public float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }

    /** Vectors of texts, as the load options say; inputs longer than {@link #maxTokens()} are truncated. */
    public List<float[]> embed(List<String> texts) {
        return embed(texts, options.normalize(), 0, true).stream().map(Embedding::vector).toList();
    }

    /**
     * Vectors of texts. Each text is tokenized with the model's special tokens; one longer than {@link #maxTokens()}
     * keeps its special tokens and loses the end of its text when {@code truncate} is set, and is refused otherwise.
     */
    public List<Embedding> embed(List<String> texts, boolean normalize, int dimensions, boolean truncate) {
        int[][] seqs = new int[texts.size()][];
        boolean[] cut = new boolean[texts.size()];
        for (int i = 0; i < seqs.length; i++) {
            int[] ids = tokenize(texts.get(i));
            if (ids.length > maxTokens) {
                if (!truncate) throw new InputTooLongException(i, ids.length, maxTokens);
                ids = truncateText(texts.get(i), ids);
                cut[i] = true;
            }
            seqs[i] = ids;
        }
        return embedPrepared(seqs, cut, normalize, dimensions);
    }

    /** The model's tokenizer, built from the file's {@code tokenizer.ggml.*} metadata. */
    public Tokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException("the model file carries no vocabulary (no tokenizer.ggml.model): embed token ids with embedTokens");
        }
        return tokenizer;
    }

    /**
     * The token ids embedded for {@code text}: the tokenizer's output with its special tokens, plus the EOS token for
     * last-token pooling when the vocabulary does not add it (Qwen3-Embedding reads its vector at the EOS).
     */
    public int[] tokenize(String text) {
        int[] ids = tokenizer().encode(text);
        SpecialTokens sp = tokenizer.special();
        if (pooling == Pooling.LAST && sp.eos() >= 0 && !sp.addEos() && (ids.length == 0 || ids[ids.length - 1] != sp.eos())) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = sp.eos();
        }
        return ids;
    }

    /** The ids {@link #embed(List, boolean, int, boolean)} uses for {@code text}: cut to {@link #maxTokens()} when {@code truncate}. */
    public int[] tokenize(String text, boolean truncate) {
        int[] ids = tokenize(text);
        return truncate && ids.length > maxTokens ? truncateText(text, ids) : ids;
    }

    /** Cuts the text part of {@code full} (= leading specials, text ids, trailing specials) to fit maxTokens. */
    private int[] truncateText(String text, int[] full) {
        int[] content = tokenizer.encode(text, false);
        SpecialTokens sp = tokenizer.special();
        int prefix = sp.addBos() && sp.bos() >= 0 && full.length > 0 && full[0] == sp.bos() ? 1 : 0;
        int suffix = Math.max(0, full.length - content.length - prefix);
        int keep = Math.max(0, maxTokens - prefix - suffix);
        int[] out = new int[prefix + keep + suffix];
        System.arraycopy(full, 0, out, 0, prefix);
        System.arraycopy(content, 0, out, prefix, keep);
        System.arraycopy(full, full.length - suffix, out, prefix + keep, suffix);
        return out;
    }

    private int vocabularySize() {
        var t = file.tensor("token_embd.weight");
        return (int) t.dim(1);
    }

    private List<Embedding> embedPrepared(int[][] seqs, boolean[] cut, boolean normalize, int dimensions) {
        if (dimensions < 0 || dimensions > dimension()) throw new IllegalArgumentException("dimensions must be between 1 and " + dimension() + ", got " + dimensions);
        List<Embedding> result = new ArrayList<>(seqs.length);
        int budget = model.maxBatchTokens();
        for (int first = 0; first < seqs.length; ) {
            int last = first, tokens = 0;
            while (last < seqs.length && tokens + seqs[last].length <= budget) tokens += seqs[last++].length;
            float[][] vectors = forward(Arrays.copyOfRange(seqs, first, last));
            for (int i = first; i < last; i++) {
                float[] v = vectors[i - first];
                if (dimensions > 0) v = Arrays.copyOf(v, dimensions);
                if (normalize) normalizeInPlace(v);
                result.add(new Embedding(v, seqs[i].length, cut[i]));
            }
            first = last;
        }
        return result;
    }

    private float[][] forward(int[][] seqs) {
        Batch batch = Batch.of(seqs);
        int h = model.hiddenSize();
        float[] flat = new float[seqs.length * h];
        lock.lock();
        try (CommandStream s = backend.stream()) {
            Activations hidden = model.forward(batch, s);
            s.pool(hidden, batch.layout(), pooling, pooled.rows(seqs.length));
            s.read(pooled.rows(seqs.length), flat);
            s.await();
        } finally {
            lock.unlock();
        }
        float[][] out = new float[seqs.length][];
        for (int i = 0; i < seqs.length; i++) out[i] = Arrays.copyOfRange(flat, i * h, (i + 1) * h);
        return out;
    }

    static void normalizeInPlace(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        if (sum == 0) return;
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            model.close();
            backend.free(pooled);
            backend.close();
            file.close();
        } finally {
            lock.unlock();
        }
    }
}
