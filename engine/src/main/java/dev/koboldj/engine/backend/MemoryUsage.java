package dev.koboldj.engine.backend;

/**
 * Memory a backend holds, in bytes: weights (mapped file slices on the CPU, device buffers on a GPU) and activation
 * buffers. {@code capacityBytes} is what the backend can offer in all (device memory, or physical memory for the
 * CPU), -1 when unknown.
 */
public record MemoryUsage(long weightBytes, long activationBytes, long capacityBytes) {
    public long totalBytes() {
        return weightBytes + activationBytes;
    }

    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
