package dev.koboldj.bench.corpus;

import java.util.Arrays;

/** Order statistics of a sample (nearest-rank percentiles). */
record Stats(double min, double median, double max, double p50, double p99, int n) {
    static Stats of(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return new Stats(v[0], percentile(v, 50), v[v.length - 1], percentile(v, 50), percentile(v, 99), v.length);
    }

    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
