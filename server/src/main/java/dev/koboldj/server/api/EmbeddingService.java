package dev.koboldj.server.api;

import dev.koboldj.engine.embed.Embedding;
import dev.koboldj.server.models.LoadedModel;
import dev.koboldj.server.models.ModelRegistry;
import dev.koboldj.server.models.TextTokenizer;
import dev.koboldj.server.models.UnknownModelException;
import dev.koboldj.server.scheduling.EmbedJob;
import dev.koboldj.server.scheduling.InferenceException;
import dev.koboldj.server.scheduling.QueueFullException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/**
 * Turns an {@link EmbedRequest} into vectors: picks the model, checks every input, tokenises text on the calling
 * thread, applies the truncation policy and queues the token sequences on the model's {@code EmbeddingQueue}.
 * Every client mistake becomes an {@link ApiException} before anything is queued.
 */
public final class EmbeddingService {
    private final ModelRegistry registry;
    private final int maxClientBatch;
    private final EmbedObserver observer;

    public EmbeddingService(ModelRegistry registry, int maxClientBatch, EmbedObserver observer) {
        this.registry = registry;
        this.maxClientBatch = maxClientBatch;
        this.observer = observer;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public int maxClientBatch() {
        return maxClientBatch;
    }

    /** The loaded model a request names (null = the default). */
    public LoadedModel model(String requested) {
        if (!registry.ready()) throw new ApiException(ErrorKind.NOT_READY, "the model is still loading; try again shortly");
        try {
            return registry.resolve(requested);
        } catch (UnknownModelException e) {
            throw new ApiException(ErrorKind.UNKNOWN_MODEL, e.getMessage(), "model");
        }
    }

    /** A request on its way: {@link #await} blocks for the vectors, {@link #cancel} drops what is not computed yet. */
    public record Pending(LoadedModel model, EmbedJob job, int[] tokens, boolean[] truncated, long startNanos) {
        public EmbedResult await() throws InterruptedException {
            List<float[]> vectors;
            try {
                vectors = job.result().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InferenceException) throw new ApiException(ErrorKind.INTERNAL, "inference failed on the model '" + model.name() + "'");
                if (e.getCause() instanceof CancellationException) throw new ApiException(ErrorKind.NOT_READY, "the server is shutting down");
                throw new ApiException(ErrorKind.INTERNAL, "inference failed on the model '" + model.name() + "'");
            } catch (CancellationException e) {
                throw new ApiException(ErrorKind.CLIENT_GONE, "the client closed the connection");
            }
            List<Embedding> out = new ArrayList<>(vectors.size());
            int total = 0;
            for (int i = 0; i < vectors.size(); i++) {
                out.add(new Embedding(vectors.get(i), tokens[i], truncated[i]));
                total += tokens[i];
            }
            return new EmbedResult(model.name(), out, total, System.nanoTime() - startNanos);
        }

        public void cancel() {
            job.cancel();
        }
    }

    /** Checks and queues a request; the vectors come from {@link Pending#await}. */
    public Pending submit(EmbedRequest request) {
        long start = System.nanoTime();
        LoadedModel m = model(request.model());
        List<EmbedInput> inputs = request.inputs();
        if (inputs.isEmpty()) throw new ApiException(ErrorKind.EMPTY_INPUT, "the input is empty: send at least one text or token array", "input");
        if (inputs.size() > maxClientBatch) {
            throw new ApiException(ErrorKind.TOO_MANY_INPUTS, "the request has " + inputs.size() + " inputs, more than the limit of " + maxClientBatch + " (--max-client-batch)", "input");
        }
        int dim = m.model().dimension();
        if (request.dimensions() < 0 || request.dimensions() > dim) {
            throw new ApiException(ErrorKind.INVALID_VALUE, "dimensions must be between 1 and " + dim + " for the model '" + m.name() + "', got " + request.dimensions(), "dimensions");
        }
        int[][] seqs = tokenize(m, inputs);
        int max = m.model().maxTokens();
        int[] counts = new int[seqs.length];
        boolean[] cut = new boolean[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            if (seqs[i].length > max) {
                if (!request.truncate()) {
                    throw new ApiException(ErrorKind.INPUT_TOO_LONG, "input " + i + " has " + seqs[i].length + " tokens, more than the model's limit of " + max
                            + "; shorten it or turn truncation on", "input");
                }
                seqs[i] = inputs.get(i) instanceof EmbedInput.Text(String text)
                        ? truncateText(m, text, seqs[i], request.direction())
                        : request.direction() == TruncationDirection.LEFT ? Arrays.copyOfRange(seqs[i], seqs[i].length - max, seqs[i].length) : Arrays.copyOf(seqs[i], max);
                cut[i] = true;
            }
            counts[i] = seqs[i].length;
        }
        boolean normalize = request.normalize() != null ? request.normalize() : m.normalize();
        try {
            EmbedJob job = m.queue().submit(seqs, request.dimensions(), normalize);
            return new Pending(m, job, counts, cut, start);
        } catch (QueueFullException e) {
            throw new ApiException(ErrorKind.OVERLOADED, e.getMessage());
        }
    }

    /** Submits and waits. */
    public EmbedResult embed(EmbedRequest request) throws InterruptedException {
        return submit(request).await();
    }

    private int[][] tokenize(LoadedModel m, List<EmbedInput> inputs) {
        int[][] seqs = new int[inputs.size()][];
        long start = System.nanoTime();
        int texts = 0;
        for (int i = 0; i < seqs.length; i++) {
            switch (inputs.get(i)) {
                case EmbedInput.Text(String text) -> {
                    if (text.isEmpty()) throw new ApiException(ErrorKind.EMPTY_INPUT, "input " + i + " is an empty string", "input");
                    seqs[i] = modelTokens(m, text);
                    if (seqs[i].length == 0) throw new ApiException(ErrorKind.EMPTY_INPUT, "input " + i + " has no tokens", "input");
                    texts++;
                }
                case EmbedInput.Tokens(int[] ids) -> {
                    if (ids.length == 0) throw new ApiException(ErrorKind.EMPTY_INPUT, "input " + i + " is an empty token array", "input");
                    checkIds(m, ids, "input " + i);
                    seqs[i] = ids;
                }
            }
        }
        if (texts > 0) observer.tokenized(m.name(), texts, System.nanoTime() - start);
        return seqs;
    }

    /** The ids the library embeds for a text: its special tokens, and the EOS that last-token pooling reads. */
    private static int[] modelTokens(LoadedModel m, String text) {
        tokenizer(m);
        return m.model().tokenize(text);
    }

    /**
     * Cuts a text's ids to the model's limit keeping its special tokens, as Hugging Face truncation does: from the
     * end of the text (RIGHT, the library's own truncation) or from its start (LEFT).
     */
    private static int[] truncateText(LoadedModel m, String text, int[] full, TruncationDirection direction) {
        if (direction == TruncationDirection.RIGHT) return m.model().tokenize(text, true);
        int max = m.model().maxTokens();
        int[] content = m.model().tokenizer().encode(text, false);
        var sp = m.model().tokenizer().special();
        int prefix = sp.addBos() && sp.bos() >= 0 && full.length > 0 && full[0] == sp.bos() ? 1 : 0;
        int suffix = Math.max(0, full.length - content.length - prefix);
        int keep = Math.max(0, max - prefix - suffix);
        int[] out = new int[prefix + keep + suffix];
        System.arraycopy(full, 0, out, 0, prefix);
        System.arraycopy(content, content.length - keep, out, prefix, keep);
        System.arraycopy(full, full.length - suffix, out, prefix + keep, suffix);
        return out;
    }

    /** Token ids must index the model's vocabulary. */
    public static void checkIds(LoadedModel m, int[] ids, String where) {
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] < 0 || ids[j] >= m.vocabSize()) {
                throw new ApiException(ErrorKind.TOKEN_OUT_OF_RANGE, where + ": token id " + ids[j] + " at position " + j + " is outside the vocabulary (0.." + (m.vocabSize() - 1) + ")", "input");
            }
        }
    }

    /** The model's tokenizer, or a client error saying the model only takes token ids. */
    public static TextTokenizer tokenizer(LoadedModel m) {
        if (m.tokenizer() == null) throw new ApiException(ErrorKind.NO_TOKENIZER, "the model '" + m.name() + "' has no tokenizer; send token ids instead of text", "input");
        return m.tokenizer();
    }

    public static int[] encode(LoadedModel m, String text, boolean addSpecial) {
        return tokenizer(m).encode(text, addSpecial);
    }
}
