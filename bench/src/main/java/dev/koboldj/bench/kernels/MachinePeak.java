package dev.koboldj.bench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's ceilings, measured: FP32 FMA throughput (12 independent FMA chains per thread, registers only, at the
 * vector width the engine uses) and DRAM read bandwidth (a parallel sum over 256 MiB). Best of several runs, since
 * a shared host rarely gives a thread its whole core. Override with {@code --peak-gflops} / {@code --peak-gbs}.
 */
public final class MachinePeak {
    private static final VectorSpecies<Float> F = VectorShape.forBitSize(
            Math.max(128, Integer.getInteger("koboldj.vectorBitSize", FloatVector.SPECIES_PREFERRED.vectorBitSize()))).withLanes(float.class);

    private MachinePeak() {
    }

    public static double gflops(int threads) {
        long iters = 20_000_000;
        fmaLoop(2_000_000); // compile first
        double best = 0;
        for (int rep = 0; rep < 7; rep++) {
            double s = parallel(threads, () -> fmaLoop(iters));
            best = Math.max(best, threads * iters * (double) flopsPerIteration() / s / 1e9);
        }
        return best;
    }

    public static double gbs(int threads) {
        float[] data = new float[64 << 20];
        java.util.Arrays.fill(data, 1f);
        sum(data, 0, 1 << 20);
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            int chunk = data.length / threads;
            double s = parallel(threads, i -> sum(data, i * chunk, chunk));
            best = Math.max(best, 4.0 * data.length / s / 1e9);
        }
        return best;
    }

    private interface Work {
        void run(int index);
    }

    private static double parallel(int threads, Runnable r) {
        return parallel(threads, i -> r.run());
    }

    private static double parallel(int threads, Work w) {
        Thread[] ts = new Thread[threads];
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            int index = i;
            ts[i] = new Thread(() -> w.run(index));
            ts[i].start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static volatile float sink;

    /** Floating-point operations per iteration of {@link #fmaLoop}. */
    static int flopsPerIteration() {
        return 12 * 2 * F.length();
    }

    static void fmaLoop(long iters) {
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector x = FloatVector.broadcast(F, 0.999999f), y = FloatVector.broadcast(F, 1e-7f);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y); a4 = a4.fma(x, y); a5 = a5.fma(x, y);
            a6 = a6.fma(x, y); a7 = a7.fma(x, y); a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        sink = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).lane(0);
    }

    private static void sum(float[] a, int from, int len) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int i = from, end = from + len - 4 * F.length();
        for (; i <= end; i += 4 * F.length()) {
            s0 = s0.add(FloatVector.fromArray(F, a, i));
            s1 = s1.add(FloatVector.fromArray(F, a, i + F.length()));
            s2 = s2.add(FloatVector.fromArray(F, a, i + 2 * F.length()));
            s3 = s3.add(FloatVector.fromArray(F, a, i + 3 * F.length()));
        }
        sink = s0.add(s1).add(s2).add(s3).lane(0);
    }
}
