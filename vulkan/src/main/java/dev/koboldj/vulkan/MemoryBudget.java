package dev.koboldj.vulkan;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Device memory one backend (one model) holds, split into weights and activations, checked against a limit (the
 * device-local heap, or a configured lower cap) before the driver is asked for more.
 */
final class MemoryBudget {
    final long limit;
    private final String device;
    final AtomicLong weights = new AtomicLong();
    final AtomicLong activations = new AtomicLong();

    MemoryBudget(long limit, String device) {
        this.limit = limit;
        this.device = device;
    }

    long used() {
        return weights.get() + activations.get();
    }

    /** Whether {@code bytes} more fit under the limit. */
    boolean fits(long bytes) {
        return used() + bytes <= limit;
    }

    /** Reserves {@code bytes} for {@code counter} or throws with the numbers. */
    synchronized void reserve(AtomicLong counter, long bytes, String what) {
        if (!fits(bytes)) throw refusal(what, bytes);
        counter.addAndGet(bytes);
    }

    void release(AtomicLong counter, long bytes) {
        counter.addAndGet(-bytes);
    }

    DeviceMemoryException refusal(String what, long bytes) {
        return new DeviceMemoryException(what, bytes, used(), limit, device);
    }
}
