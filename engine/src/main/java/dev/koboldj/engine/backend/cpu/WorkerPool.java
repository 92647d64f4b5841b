package dev.koboldj.engine.backend.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/** A dedicated pool (not the common pool) of {@code threads - 1} workers; the caller works too. */
final class WorkerPool implements AutoCloseable {
    private final int threads;
    private final ExecutorService workers;

    WorkerPool(int threads) {
        this.threads = Math.max(1, threads);
        AtomicInteger n = new AtomicInteger();
        this.workers = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "koboldj-cpu-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Runs {@code body} for every task index in [0, tasks), spread over the pool; returns when all are done. */
    void run(int tasks, IntConsumer body) {
        if (tasks <= 0) return;
        if (workers == null || tasks == 1) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int helpers = Math.min(threads, tasks) - 1;
        CountDownLatch done = new CountDownLatch(helpers);
        Runnable loop = () -> {
            try {
                for (int t; (t = next.getAndIncrement()) < tasks && failure.get() == null; ) body.accept(t);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        for (int h = 0; h < helpers; h++) {
            workers.execute(() -> {
                try {
                    loop.run();
                } finally {
                    done.countDown();
                }
            });
        }
        loop.run();
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new IllegalStateException(f);
    }

    @Override
    public void close() {
        if (workers != null) workers.shutdownNow();
    }
}
