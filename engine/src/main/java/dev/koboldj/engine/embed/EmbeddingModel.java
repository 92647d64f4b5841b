package dev.koboldj.engine.embed;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.BackendOptions;
import dev.koboldj.engine.backend.Backends;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.MemoryUsage;
import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.model.Architectures;
import dev.koboldj.engine.model.Batch;
import dev.koboldj.engine.model.EncoderModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    private EmbeddingModel(GgufFile file, Backend backend, EncoderModel model, EmbeddingOptions options, int maxTokens) {
        this.file = file;
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
            int positions = maxPositions(file);
            int maxTokens = options.maxTokens() > 0 ? Math.min(options.maxTokens(), positions) : Math.min(positions, EmbeddingOptions.DEFAULT_MAX_TOKENS);
            int batchTokens = Math.max(options.maxBatchTokens() > 0 ? options.maxBatchTokens() : EmbeddingOptions.DEFAULT_BATCH_TOKENS, maxTokens);
            backend = openBackend(file, options, batchTokens);
            EncoderModel model = Architectures.load(file, backend, batchTokens);
            return new EmbeddingModel(file, backend, model, options, maxTokens);
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
        if (dimensions < 0 || dimensions > dimension()) throw new IllegalArgumentException("dimensions must be between 1 and " + dimension() + ", got " + dimensions);
        int[][] seqs = new int[sequences.length][];
        boolean[] cut = new boolean[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            int[] s = sequences[i];
            if (s.length == 0) throw new IllegalArgumentException("input " + i + " has no tokens");
            if (s.length > maxTokens) {
                if (!truncate) throw new InputTooLongException(i, s.length, maxTokens);
                s = java.util.Arrays.copyOf(s, maxTokens);
                cut[i] = true;
            }
            seqs[i] = s;
        }
        List<Embedding> result = new ArrayList<>(seqs.length);
        int budget = model.maxBatchTokens();
        for (int first = 0; first < seqs.length; ) {
            int last = first, tokens = 0;
            while (last < seqs.length && tokens + seqs[last].length <= budget) tokens += seqs[last++].length;
            float[][] vectors = forward(java.util.Arrays.copyOfRange(seqs, first, last));
            for (int i = first; i < last; i++) {
                float[] v = vectors[i - first];
                if (dimensions > 0) v = java.util.Arrays.copyOf(v, dimensions);
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
        for (int i = 0; i < seqs.length; i++) out[i] = java.util.Arrays.copyOfRange(flat, i * h, (i + 1) * h);
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
