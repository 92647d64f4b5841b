package dev.koboldj.server.scheduling;

import java.util.HashSet;
import java.util.Set;

/**
 * The one thread that runs a model's forward passes: takes batches from its {@link EmbeddingQueue}, runs them and
 * hands each vector to its request. A failed pass fails the requests in that batch and the worker goes on.
 */
public final class BackendWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("koboldj.scheduling");
    private final EmbeddingQueue queue;
    private final Forward forward;
    private final BatchObserver observer;
    private final Thread thread;

    public BackendWorker(EmbeddingQueue queue, Forward forward, BatchObserver observer) {
        this.queue = queue;
        this.forward = forward;
        this.observer = observer;
        this.thread = Thread.ofPlatform().name("koboldj-embed-" + queue.model()).daemon(true).unstarted(this::loop);
    }

    public BackendWorker start() {
        thread.start();
        return this;
    }

    private void loop() {
        try {
            WorkBatch batch;
            while ((batch = queue.take()) != null) run(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(WorkBatch batch) {
        long start = System.nanoTime();
        float[][] vectors;
        try {
            vectors = forward.run(batch.sequences());
            if (vectors.length != batch.size()) throw new IllegalStateException("forward pass returned " + vectors.length + " vectors for " + batch.size() + " sequences");
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "embedding batch of " + batch.size() + " sequences failed on model '" + queue.model() + "'", e);
            Set<EmbedJob> failed = new HashSet<>();
            for (EmbedJob job : batch.owners()) if (failed.add(job)) job.fail(new InferenceException(e));
            return;
        }
        observer.batch(queue.model(), batch.size(), batch.tokens(), System.nanoTime() - start);
        for (int i = 0; i < vectors.length; i++) batch.owners()[i].deliver(batch.slots()[i], vectors[i]);
    }

    /** Closes the queue and waits for the batch in progress. */
    @Override
    public void close() {
        queue.close();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
