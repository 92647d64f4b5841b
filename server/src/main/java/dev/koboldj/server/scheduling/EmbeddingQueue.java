package dev.koboldj.server.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One model's queue of embedding requests. Requests are served first come, first served; the worker takes batches
 * of up to {@code maxBatchTokens} tokens and {@code maxBatchSequences} sequences, filled from as many requests as fit,
 * so a request's inputs may be split over several batches. Requests whose client went away (cancelled jobs) are
 * dropped before their remaining sequences are computed. At most {@code maxRequests} requests may be waiting or
 * running; one more is refused at once with {@link QueueFullException}.
 */
public final class EmbeddingQueue {
    /** Packing and admission limits; a single sequence longer than maxBatchTokens still goes alone. */
    public record Limits(int maxBatchTokens, int maxBatchSequences, int maxRequests) {
        public Limits {
            if (maxBatchTokens < 1 || maxBatchSequences < 1 || maxRequests < 1) throw new IllegalArgumentException("queue limits must be positive: " + this);
        }
    }

    private final String model;
    private final Limits limits;
    private final BatchObserver observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    /** Jobs with sequences not yet handed to a batch, oldest first. */
    private final ArrayDeque<EmbedJob> pending = new ArrayDeque<>();
    /** Jobs admitted and not yet done (pending or running); at most limits.maxRequests. */
    private int admitted;
    private boolean closed;

    public EmbeddingQueue(String model, Limits limits, BatchObserver observer) {
        this.model = model;
        this.limits = limits;
        this.observer = observer;
    }

    public String model() {
        return model;
    }

    public Limits limits() {
        return limits;
    }

    /** Queues the sequences (each non-empty); the job's result holds their vectors in order. */
    public EmbedJob submit(int[][] sequences, int dimensions, boolean normalize) throws QueueFullException {
        if (sequences.length == 0) throw new IllegalArgumentException("a job needs at least one sequence");
        EmbedJob job = new EmbedJob(sequences, dimensions, normalize, System.nanoTime());
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("the queue for '" + model + "' is closed");
            if (admitted >= limits.maxRequests()) throw new QueueFullException(model, limits.maxRequests());
            admitted++;
            pending.addLast(job);
            workAvailable.signal();
        } finally {
            lock.unlock();
        }
        job.result().whenComplete((v, t) -> release());
        observer.queueDepth(model, waiting());
        return job;
    }

    private void release() {
        lock.lock();
        try {
            admitted--;
        } finally {
            lock.unlock();
        }
        observer.queueDepth(model, waiting());
    }

    /** Requests waiting or running now. */
    public int waiting() {
        lock.lock();
        try {
            return admitted;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until there is work, then packs the next batch; null once the queue is closed and drained. */
    WorkBatch take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                dropCancelled();
                if (!pending.isEmpty()) return pack();
                if (closed) return null;
                workAvailable.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void dropCancelled() {
        pending.removeIf(EmbedJob::isDone);
    }

    private WorkBatch pack() {
        List<int[]> seqs = new ArrayList<>();
        List<EmbedJob> owners = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        int tokens = 0;
        long now = System.nanoTime();
        Iterator<EmbedJob> it = pending.iterator();
        fill:
        while (it.hasNext()) {
            EmbedJob job = it.next();
            if (job.isDone()) {
                it.remove();
                continue;
            }
            while (job.next < job.sequences.length) {
                int[] s = job.sequences[job.next];
                boolean first = seqs.isEmpty();
                if (!first && (tokens + s.length > limits.maxBatchTokens() || seqs.size() >= limits.maxBatchSequences())) break fill;
                if (!job.started) {
                    job.started = true;
                    observer.queueWait(model, now - job.queuedAt);
                }
                seqs.add(s);
                owners.add(job);
                slots.add(job.next++);
                tokens += s.length;
            }
            it.remove();
        }
        int[] slotArray = new int[slots.size()];
        for (int i = 0; i < slotArray.length; i++) slotArray[i] = slots.get(i);
        return new WorkBatch(seqs.toArray(int[][]::new), owners.toArray(EmbedJob[]::new), slotArray, tokens);
    }

    /** Stops taking work: jobs still waiting fail, the worker ends after its current batch. */
    public void close() {
        List<EmbedJob> dropped;
        lock.lock();
        try {
            closed = true;
            dropped = new ArrayList<>(pending);
            pending.clear();
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        for (EmbedJob job : dropped) job.fail(new CancellationException("the server is shutting down"));
    }
}
