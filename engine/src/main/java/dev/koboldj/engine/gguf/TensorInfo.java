package dev.koboldj.engine.gguf;

import java.util.Arrays;

/**
 * One tensor's header entry. {@code dims} are in GGUF order: dims[0] is the innermost (contiguous) dimension,
 * so a PyTorch weight of shape [out, in] is stored with dims = {in, out}. {@code offset} is relative to the start
 * of the tensor-data section and a multiple of the file's alignment.
 */
public record TensorInfo(String name, long[] dims, GgmlType type, long offset) {
    public TensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code i}, 1 beyond the rank (ggml's ne[i] convention). */
    public long dim(int i) {
        return i < dims.length ? dims[i] : 1;
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) n = Math.multiplyExact(n, d);
        return n;
    }

    public long byteSize() {
        return type.bytesFor(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && Arrays.equals(t.dims, dims) && t.type == type && t.offset == offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }
}
