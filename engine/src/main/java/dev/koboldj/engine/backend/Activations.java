package dev.koboldj.engine.backend;

/**
 * A row-major [rows][cols] buffer that lives on a backend (host memory for the CPU, a device buffer for a GPU).
 * A buffer is allocated once at its capacity; {@link #rows(int)} gives a view of its first rows, which is how a
 * forward pass over a batch of T tokens uses buffers sized for the batch-token budget.
 */
public interface Activations {
    ElementType type();

    int rows();

    int cols();

    /** A view of the first {@code n} rows of this buffer (n at most the buffer's capacity in rows). */
    Activations rows(int n);

    default long elementCount() {
        return (long) rows() * cols();
    }
}
