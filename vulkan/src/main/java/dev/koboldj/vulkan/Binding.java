package dev.koboldj.vulkan;

/**
 * A storage-buffer range bound to one shader binding, and how the command uses it (for barrier placement by
 * {@link HazardTracker}).
 */
record Binding(long buffer, long offset, long range, boolean write) {
    static Binding read(Allocation a) {
        return new Binding(a.slab().buffer, a.offset(), a.size(), false);
    }

    static Binding write(Allocation a) {
        return new Binding(a.slab().buffer, a.offset(), a.size(), true);
    }

    boolean overlaps(Binding o) {
        return buffer == o.buffer && offset < o.offset + o.range && o.offset < offset + range;
    }
}
