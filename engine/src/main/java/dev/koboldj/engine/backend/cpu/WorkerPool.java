package dev.koboldj.engine.backend.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A dedicated pool (not the common pool) of {@code threads - 1} daemon workers; the calling thread works too, as
 * worker 0. Built for jobs of tens of microseconds (one matmul of a small model): a job is published through one
 * volatile field, workers that finished a job spin for {@link #SPIN_NANOS} waiting for the next one and only then
 * park, so the ops of a forward pass reach running threads. Tasks are claimed one at a time from a shared counter,
 * so a thread the host deschedules delays only the task it holds.
 *
 * <p>One job runs at a time (callers are serialised by a lock); {@link #scratch(int)} is therefore private to the
 * worker that runs a task. A body must not call {@link #run} itself.
 */
final class WorkerPool implements AutoCloseable {
    /** What a job runs: task index in [0, tasks), worker index in [0, threads). */
    @FunctionalInterface
    interface Body {
        void run(int task, int worker);
    }

    /** How long an idle worker spins before it parks (default 200 µs; {@code -Dkoboldj.cpu.spinMicros}). */
    static final long SPIN_NANOS = Long.getLong("koboldj.cpu.spinMicros", 200) * 1000L;

    private final int threads;
    private final Thread[] workers;
    private final CpuScratch[] scratch;
    private final ReentrantLock lock = new ReentrantLock();
    /** The job workers should join, or null. Written only by the caller holding {@link #lock}. */
    private volatile Job current;
    /** Per worker: 1 while parked (or about to park), written by the worker, read by the caller to unpark. */
    private final int[] sleeping;
    private volatile boolean closed;

    private static final VarHandle SLEEPING = MethodHandles.arrayElementVarHandle(int[].class);

    /** One dispatch: tasks are claimed through {@link #next}; the caller waits until {@link #done} reaches tasks. */
    private static final class Job {
        private static final VarHandle NEXT, DONE;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                NEXT = l.findVarHandle(Job.class, "next", int.class);
                DONE = l.findVarHandle(Job.class, "done", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Body body;
        final int tasks;
        @SuppressWarnings("unused") private volatile int next;
        private volatile int done;
        volatile Throwable failure;

        Job(Body body, int tasks) {
            this.body = body;
            this.tasks = tasks;
        }

        void work(int worker) {
            for (int t; (t = (int) NEXT.getAndAdd(this, 1)) < tasks; ) {
                try {
                    if (failure == null) body.run(t, worker);
                } catch (Throwable e) {
                    if (failure == null) failure = e;
                } finally {
                    DONE.getAndAdd(this, 1);
                }
            }
        }

        boolean finished() {
            return done >= tasks;
        }
    }

    WorkerPool(int threads) {
        this.threads = Math.max(1, threads);
        this.scratch = new CpuScratch[this.threads];
        for (int i = 0; i < this.threads; i++) scratch[i] = new CpuScratch();
        this.sleeping = new int[this.threads];
        this.workers = new Thread[this.threads];
        for (int w = 1; w < this.threads; w++) {
            int index = w;
            Thread t = new Thread(() -> loop(index), "koboldj-cpu-" + w);
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    int threads() {
        return threads;
    }

    /** Per-worker reusable buffers; only the worker running a task of the current job may touch its own. */
    CpuScratch scratch(int worker) {
        return scratch[worker];
    }

    /** Runs {@code body} for every task index in [0, tasks), spread over the pool; returns when all are done. */
    void run(int tasks, Body body) {
        if (tasks <= 0) return;
        lock.lock();
        try {
            if (threads == 1 || tasks == 1) {
                for (int t = 0; t < tasks; t++) body.run(t, 0);
                return;
            }
            Job job = new Job(body, tasks);
            current = job;
            for (int w = 1; w < threads; w++) {
                if ((int) SLEEPING.getVolatile(sleeping, w) != 0) LockSupport.unpark(workers[w]);
            }
            job.work(0);
            awaitDone(job);
            current = null;
            Throwable f = job.failure;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            if (f != null) throw new IllegalStateException(f);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Spins while a worker finishes a task it claimed, yielding now and then: on a shared host the worker may sit on
     * this very core, waiting for the time slice this thread would otherwise spin away.
     */
    private static void awaitDone(Job job) {
        for (int spins = 1; !job.finished(); spins++) {
            if ((spins & 63) == 0) Thread.yield();
            else Thread.onSpinWait();
        }
    }

    private void loop(int index) {
        Job seen = null;
        while (!closed) {
            Job job = current;
            if (job != null && job != seen) {
                seen = job;
                job.work(index);
                continue;
            }
            long start = System.nanoTime();
            int spins = 0;
            while (current == job && !closed) {
                if ((++spins & 63) != 0) {
                    Thread.onSpinWait();
                } else if (System.nanoTime() - start > SPIN_NANOS) {
                    SLEEPING.setVolatile(sleeping, index, 1);
                    if (current == job && !closed) LockSupport.park(this);
                    SLEEPING.setVolatile(sleeping, index, 0);
                    start = System.nanoTime();
                } else {
                    Thread.yield(); // let a thread that shares this core (the caller, on a busy host) run
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (int w = 1; w < threads; w++) LockSupport.unpark(workers[w]);
    }
}
