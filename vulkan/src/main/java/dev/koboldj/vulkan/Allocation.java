package dev.koboldj.vulkan;

/** Bytes [offset, offset + size) of a pool's {@link DeviceBuffer}; offset is aligned for storage-buffer binding. */
record Allocation(DeviceBuffer slab, long offset, long size) {
    boolean overlaps(long buffer, long otherOffset, long otherSize) {
        return slab.buffer == buffer && offset < otherOffset + otherSize && otherOffset < offset + size;
    }
}
