package dev.koboldj.bench.kernels;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Matmul rates taken in alternation with the FMA throughput the host gives: blocks of about 2 ms of
 * {@link MatmulBench} calls alternate with blocks of the {@link FmaProbe}. On a shared host a vCPU's share of a core
 * moves within tenths of a second (on the 2-vCPU Zen 5 host of 2026-12-07 about one 2 ms FMA block in nine ran both
 * threads at one thread's rate, and a 2-thread matmul's per-task times doubled on both threads at once), so JMH's
 * 1 s iterations average such stretches into the score, while {@link MachinePeak} is the best of several runs. The
 * short alternating blocks give a second estimate of each rate, and the probe shows what the host gave meanwhile.
 * The probe is no perfect baseline: in four of that day's five runs it fell to ~70% of the peak after 30-60 s of the
 * pass and stayed there, while both its threads kept their own vCPUs (thread CPU time = wall time) and the matmuls
 * lost less; a clock or power limit under sustained 512-bit FMA load would fit, unproven. A ratio above 100% means
 * such a stretch, not a matmul faster than the FMA units.
 */
final class PairedMatmul {
    private static final long BLOCK_NANOS = 2_000_000;
    /** Calls before timing (and at least 1 s, at most 5 s). */
    private static final int WARM_CALLS = 5000;

    private PairedMatmul() {
    }

    /** Measures one configuration over {@code pairs} alternations. */
    static Map<String, Object> measure(FmaProbe probe, String format, int m, String shape, int threads, int pairs) throws InterruptedException {
        MatmulBench b = new MatmulBench();
        b.format = format;
        b.m = m;
        b.shape = shape;
        b.threads = threads;
        b.setup();
        try {
            int k = Integer.parseInt(shape.split("x")[0]), n = Integer.parseInt(shape.split("x")[1]);
            double flops = 2.0 * m * n * k;
            // Warm up by count, not only by time: in a fresh JVM the Vector API code runs ~100x slower until C2 has
            // compiled it, and 0.5 s of that was once a few hundred calls (the pass's first configuration at 3%).
            long t0 = System.nanoTime();
            for (int i = 0; (i < WARM_CALLS || System.nanoTime() - t0 < 1_000_000_000L) && System.nanoTime() - t0 < 5_000_000_000L; i++) b.matmul();
            t0 = System.nanoTime();
            int timed = 0;
            while (System.nanoTime() - t0 < 200_000_000L) {
                b.matmul();
                timed++;
            }
            int calls = (int) Math.max(1, (long) timed * BLOCK_NANOS / (System.nanoTime() - t0));
            int untimed = Math.max(1, calls / 8); // the pool's parked workers wake and the weights return to cache
            double[] ratio = new double[pairs];
            double matmulNanos = 0, fmaSum = 0;
            for (int p = 0; p < pairs; p++) {
                double fma = probe.gflops();
                for (int i = 0; i < untimed; i++) b.matmul();
                long s = System.nanoTime();
                for (int i = 0; i < calls; i++) b.matmul();
                long ns = System.nanoTime() - s;
                Thread.sleep(1); // the pool's workers stop spinning and park before the next probe block
                matmulNanos += ns;
                fmaSum += fma;
                ratio[p] = flops * calls / ns / fma;
            }
            double matmul = flops * calls * pairs / matmulNanos, fma = fmaSum / pairs;
            Arrays.sort(ratio);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("params", format + " M=" + m + " " + shape);
            row.put("pairs", pairs);
            row.put("gflops", matmul);
            row.put("fmaGflops", fma);
            row.put("percentOfFma", 100 * matmul / fma);
            row.put("pairPercentP25", 100 * ratio[pairs / 4]);
            row.put("pairPercentP50", 100 * ratio[pairs / 2]);
            row.put("pairPercentP75", 100 * ratio[3 * pairs / 4]);
            return row;
        } finally {
            b.close();
        }
    }
}
