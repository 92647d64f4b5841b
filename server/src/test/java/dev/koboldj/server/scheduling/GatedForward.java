package dev.koboldj.server.scheduling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A forward pass for tests: each sequence's "vector" is {sum of ids, length, first id}, every batch is recorded,
 * and while closed the pass waits at the gate, so tests decide exactly when batches finish.
 */
final class GatedForward implements Forward {
    final List<int[][]> batches = new ArrayList<>();
    private final Semaphore permits = new Semaphore(0);
    private final Semaphore entered = new Semaphore(0);
    private volatile boolean open;

    static float[] expected(int[] seq) {
        long sum = 0;
        for (int id : seq) sum += id;
        return new float[]{sum, seq.length, seq[0]};
    }

    @Override
    public float[][] run(int[][] sequences) {
        synchronized (batches) {
            batches.add(sequences);
        }
        entered.release();
        if (!open) permits.acquireUninterruptibly();
        float[][] out = new float[sequences.length][];
        for (int i = 0; i < out.length; i++) out[i] = expected(sequences[i]);
        return out;
    }

    /** Waits until a batch has entered the pass (and is held at the gate unless open). */
    void awaitBatch() throws InterruptedException {
        if (!entered.tryAcquire(30, TimeUnit.SECONDS)) throw new AssertionError("no batch reached the forward pass");
    }

    /** Lets one held batch finish. */
    void releaseOne() {
        permits.release();
    }

    /** Lets every batch through from now on. */
    void open() {
        open = true;
        permits.release(1000);
    }

    List<int[][]> batches() {
        synchronized (batches) {
            return new ArrayList<>(batches);
        }
    }

    static CountDownLatch latch() {
        return new CountDownLatch(1);
    }
}
