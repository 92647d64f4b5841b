package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.ElementType;

/** Host activations: a float[] (F32) or int[] (I32) holding {@code capacity} rows; views share the array. */
final class CpuBuffer implements Activations {
    final ElementType type;
    final float[] f;
    final int[] i;
    final int rows;
    final int cols;
    final int capacity;

    CpuBuffer(ElementType type, int rows, int cols) {
        this(type, type == ElementType.F32 ? new float[Math.multiplyExact(rows, cols)] : null,
                type == ElementType.I32 ? new int[Math.multiplyExact(rows, cols)] : null, rows, cols, rows);
    }

    private CpuBuffer(ElementType type, float[] f, int[] i, int rows, int cols, int capacity) {
        this.type = type;
        this.f = f;
        this.i = i;
        this.rows = rows;
        this.cols = cols;
        this.capacity = capacity;
    }

    @Override
    public ElementType type() {
        return type;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public Activations rows(int n) {
        if (n < 0 || n > capacity) throw new IllegalArgumentException("view of " + n + " rows on a buffer of " + capacity);
        return new CpuBuffer(type, f, i, n, cols, capacity);
    }

    long bytes() {
        return (long) capacity * cols * type.bytes;
    }

    static CpuBuffer of(Activations a, ElementType expected, String role) {
        if (!(a instanceof CpuBuffer b)) throw new IllegalArgumentException(role + " is not a CPU buffer");
        if (b.type != expected) throw new IllegalArgumentException(role + " must be " + expected + ", is " + b.type);
        return b;
    }
}
