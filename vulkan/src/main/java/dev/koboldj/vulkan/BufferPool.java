package dev.koboldj.vulkan;

import static org.lwjgl.vulkan.VK10.VK_ERROR_OUT_OF_DEVICE_MEMORY;
import static org.lwjgl.vulkan.VK10.VK_ERROR_OUT_OF_HOST_MEMORY;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Suballocates device buffers ("slabs") of at most {@code maxSlab} bytes, a size every storage-buffer binding may
 * span. Slabs grow geometrically (16 MiB, then the size already held, up to the cap) so a small model does not
 * reserve hundreds of megabytes and a large one does not make thousands of allocations. Each slab keeps a first-fit
 * free list of aligned ranges that coalesces on free; an empty slab goes back to the driver. Every slab is
 * reserved against the {@link MemoryBudget} first, so a model that does not fit fails with numbers.
 */
final class BufferPool implements AutoCloseable {
    static final long MIN_SLAB = 16L << 20;

    private final VulkanDevice device;
    private final MemoryBudget budget;
    private final AtomicLong counter;
    private final long maxSlab;
    private final long alignment;
    private final int requiredFlags;
    private final int preferredFlags;
    private final List<Slab> slabs = new ArrayList<>();

    private static final class Slab {
        final DeviceBuffer buffer;
        /** Free ranges: offset -> size, never adjacent (merged on free). */
        final TreeMap<Long, Long> free = new TreeMap<>();
        long freeBytes;

        Slab(DeviceBuffer buffer) {
            this.buffer = buffer;
            free.put(0L, buffer.size);
            freeBytes = buffer.size;
        }

        long take(long size) {
            for (Map.Entry<Long, Long> e : free.entrySet()) {
                if (e.getValue() >= size) {
                    long off = e.getKey(), rest = e.getValue() - size;
                    free.remove(off);
                    if (rest > 0) free.put(off + size, rest);
                    freeBytes -= size;
                    return off;
                }
            }
            return -1;
        }

        void give(long off, long size) {
            freeBytes += size;
            Map.Entry<Long, Long> before = free.floorEntry(off);
            if (before != null && before.getKey() + before.getValue() == off) {
                off = before.getKey();
                size += before.getValue();
                free.remove(off);
            }
            Long after = free.get(off + size);
            if (after != null) {
                free.remove(off + size);
                size += after;
            }
            free.put(off, size);
        }
    }

    BufferPool(VulkanDevice device, MemoryBudget budget, AtomicLong counter, long maxSlab, long alignment, int requiredFlags, int preferredFlags) {
        this.device = device;
        this.budget = budget;
        this.counter = counter;
        this.alignment = alignment;
        this.maxSlab = maxSlab / alignment * alignment;
        this.requiredFlags = requiredFlags;
        this.preferredFlags = preferredFlags;
    }

    long maxAllocation() {
        return maxSlab;
    }

    long align(long bytes) {
        return (Math.max(bytes, 4) + alignment - 1) / alignment * alignment;
    }

    /** An aligned range of at least {@code bytes}; {@code what} names it in a refusal. */
    synchronized Allocation allocate(long bytes, String what) {
        long size = align(bytes);
        if (size > maxSlab) throw new IllegalArgumentException(what + ": " + bytes + " bytes exceed the largest device buffer (" + maxSlab + " bytes)");
        for (Slab s : slabs) {
            long off = s.take(size);
            if (off >= 0) return new Allocation(s.buffer, off, size);
        }
        long held = 0;
        for (Slab s : slabs) held += s.buffer.size;
        long slabSize = Math.max(size, Math.min(maxSlab, Math.max(MIN_SLAB, held)));
        if (!budget.fits(slabSize)) slabSize = size;
        budget.reserve(counter, slabSize, what);
        DeviceBuffer buffer;
        try {
            buffer = DeviceBuffer.create(device, slabSize, requiredFlags, preferredFlags);
        } catch (VulkanException e) {
            budget.release(counter, slabSize);
            if (e.result() == VK_ERROR_OUT_OF_DEVICE_MEMORY || e.result() == VK_ERROR_OUT_OF_HOST_MEMORY) {
                DeviceMemoryException refusal = budget.refusal(what + " (the driver refused the allocation)", slabSize);
                refusal.initCause(e);
                throw refusal;
            }
            throw e;
        }
        Slab s = new Slab(buffer);
        slabs.add(s);
        return new Allocation(buffer, s.take(size), size);
    }

    synchronized void free(Allocation a) {
        for (int i = 0; i < slabs.size(); i++) {
            Slab s = slabs.get(i);
            if (s.buffer != a.slab()) continue;
            s.give(a.offset(), a.size());
            if (s.freeBytes == s.buffer.size) {
                slabs.remove(i);
                s.buffer.close();
                budget.release(counter, s.buffer.size);
            }
            return;
        }
        throw new IllegalArgumentException("allocation does not belong to this pool");
    }

    synchronized int slabCount() {
        return slabs.size();
    }

    @Override
    public synchronized void close() {
        for (Slab s : slabs) {
            s.buffer.close();
            budget.release(counter, s.buffer.size);
        }
        slabs.clear();
    }
}
