package dev.koboldj.engine.backend;

/**
 * One compute device. Model code is written once against this interface and {@link CommandStream}; the CPU and
 * GPU backends implement both. Thread-safe for uploads and allocation; each thread uses its own stream.
 */
public interface Backend extends AutoCloseable {
    /** Short backend name: "cpu", "vulkan". */
    String name();

    /** Human-readable device description for logs and /v1/models. */
    String deviceName();

    /** Makes a weight usable by this backend; throws {@code UnsupportedTensorTypeException} for a type it cannot compute. */
    DeviceWeights upload(WeightTensor weight);

    /** A new buffer of {@code rows x cols} elements (contents undefined). */
    Activations allocate(ElementType type, int rows, int cols);

    /** Releases a buffer from {@link #allocate}; using it afterwards is an error. */
    void free(Activations buffer);

    CommandStream stream();

    MemoryUsage memory();

    @Override
    void close();
}
