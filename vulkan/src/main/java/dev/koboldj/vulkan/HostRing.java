package dev.koboldj.vulkan;

import java.util.ArrayList;
import java.util.List;

/**
 * Host-visible memory a stream fills while recording (uploads, small tables shaders read) or the device fills for the
 * host (readbacks). Slices are bump-allocated and stay valid until {@link #reset()} after the submission completed,
 * so nothing is overwritten while a recorded command may still read it. Grows by adding buffers.
 */
final class HostRing implements AutoCloseable {
    record Slice(DeviceBuffer buffer, long offset, long size) {
        Binding binding(boolean write) {
            return new Binding(buffer.buffer, offset, size, write);
        }

        java.lang.foreign.MemorySegment host() {
            return buffer.hostView(offset, size);
        }
    }

    private static final long MIN_BUFFER = 1L << 20;

    private final VulkanDevice device;
    private final int required;
    private final int preferred;
    private final long alignment;
    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private int current;
    private long used;

    HostRing(VulkanDevice device, int required, int preferred, long alignment) {
        this.device = device;
        this.required = required;
        this.preferred = preferred;
        this.alignment = alignment;
    }

    Slice allocate(long bytes) {
        long size = (Math.max(bytes, 4) + alignment - 1) / alignment * alignment;
        while (current < buffers.size()) {
            DeviceBuffer b = buffers.get(current);
            if (used + size <= b.size) {
                Slice s = new Slice(b, used, size);
                used += size;
                return s;
            }
            current++;
            used = 0;
        }
        long last = buffers.isEmpty() ? 0 : buffers.getLast().size;
        DeviceBuffer b = DeviceBuffer.create(device, Math.max(size, Math.max(MIN_BUFFER, 2 * last)), required, preferred);
        buffers.add(b);
        current = buffers.size() - 1;
        used = size;
        return new Slice(b, 0, size);
    }

    void reset() {
        current = 0;
        used = 0;
    }

    @Override
    public void close() {
        for (DeviceBuffer b : buffers) b.close();
        buffers.clear();
    }
}
