package dev.koboldj.engine.testing;

/** Vector comparisons for tests. */
public final class Vectors {
    private Vectors() {
    }

    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths " + a.length + " and " + b.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    public static double norm(float[] a) {
        double s = 0;
        for (float x : a) s += (double) x * x;
        return Math.sqrt(s);
    }
}
