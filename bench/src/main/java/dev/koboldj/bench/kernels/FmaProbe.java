package dev.koboldj.bench.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The FP32 FMA throughput the host gives right now: {@link MachinePeak}'s FMA loop on the calling thread and
 * {@code threads - 1} helpers at once, each timing its own loop (so waking the helpers is not counted), summed over
 * the threads. Helpers park between blocks, so they take no CPU from whatever runs in between.
 */
final class FmaProbe implements AutoCloseable {
    private final long iterations;
    private final Thread[] helpers;
    private final long[] nanos;
    private final AtomicInteger finished = new AtomicInteger();
    private volatile int round;
    private volatile boolean closed;

    /** A probe whose blocks take about {@code blockNanos} on an idle core. */
    FmaProbe(int threads, long blockNanos) {
        MachinePeak.fmaLoop(2_000_000); // compile first
        long t0 = System.nanoTime();
        MachinePeak.fmaLoop(1_000_000);
        iterations = Math.max(1000, blockNanos * 1_000_000 / Math.max(1, System.nanoTime() - t0));
        nanos = new long[threads];
        helpers = new Thread[threads - 1];
        for (int h = 0; h < helpers.length; h++) {
            int index = h + 1;
            helpers[h] = new Thread(() -> helper(index), "fma-probe-" + index);
            helpers[h].setDaemon(true);
            helpers[h].start();
        }
    }

    /** One block on every thread: the summed GFLOP/s. */
    double gflops() {
        int done = finished.get();
        round++;
        for (Thread h : helpers) LockSupport.unpark(h);
        nanos[0] = timedLoop();
        while (finished.get() - done < helpers.length) Thread.onSpinWait();
        double g = 0;
        for (long n : nanos) g += iterations * (double) MachinePeak.flopsPerIteration() / n;
        return g;
    }

    private long timedLoop() {
        long t0 = System.nanoTime();
        MachinePeak.fmaLoop(iterations);
        return System.nanoTime() - t0;
    }

    private void helper(int index) {
        for (int seen = 0; !closed; ) {
            if (round == seen) {
                LockSupport.park(this);
                continue;
            }
            seen = round;
            nanos[index] = timedLoop();
            finished.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread h : helpers) LockSupport.unpark(h);
    }
}
