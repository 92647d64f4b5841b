package dev.koboldj.vulkan;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.ElementType;

/**
 * A row-major [capacity][cols] F32 or I32 buffer in the backend's activation arena; views of the first rows share
 * the allocation (and bind it whole, so barriers see every view of a buffer as the same range).
 */
final class DeviceActivations implements Activations {
    final VulkanBackend owner;
    final Allocation allocation;
    private final ElementType type;
    private final int rows;
    private final int cols;
    final int capacity;

    DeviceActivations(VulkanBackend owner, Allocation allocation, ElementType type, int rows, int cols, int capacity) {
        this.owner = owner;
        this.allocation = allocation;
        this.type = type;
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
        return new DeviceActivations(owner, allocation, type, n, cols, capacity);
    }

    Binding read() {
        return Binding.read(allocation);
    }

    Binding write() {
        return Binding.write(allocation);
    }

    boolean sameBuffer(DeviceActivations o) {
        return o.allocation == allocation;
    }

    static DeviceActivations of(Activations a, VulkanBackend backend, ElementType expected, String role) {
        if (!(a instanceof DeviceActivations d) || d.owner != backend) throw new IllegalArgumentException(role + " is not a buffer of this Vulkan backend");
        if (expected != null && d.type != expected) throw new IllegalArgumentException(role + " must be " + expected + ", is " + d.type);
        return d;
    }
}
