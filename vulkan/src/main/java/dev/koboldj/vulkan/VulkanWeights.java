package dev.koboldj.vulkan;

import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.gguf.GgmlType;
import java.util.List;

/**
 * A weight in device memory, in parts of whole rows: part i holds rows [rowStart, rowStart + rows) in its own
 * allocation, each below the largest storage-buffer binding, so tensors of hundreds of megabytes bind on any device.
 * Matrices keep their GGUF bytes ({@code storage == type}); one-dimensional weights (biases, norm scales) are
 * decoded to F32 at upload, which is what every element-wise shader reads.
 */
final class VulkanWeights implements DeviceWeights {
    record Part(Allocation allocation, int rowStart, int rows) {
        Binding binding() {
            return Binding.read(allocation);
        }
    }

    private final String name;
    private final GgmlType type;
    final GgmlType storage;
    private final int rows;
    private final int cols;
    final long rowBytes;
    final List<Part> parts;
    private final long bytes;
    private final VulkanBackend owner;

    VulkanWeights(VulkanBackend owner, String name, GgmlType type, GgmlType storage, int rows, int cols, List<Part> parts) {
        this.owner = owner;
        this.name = name;
        this.type = type;
        this.storage = storage;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = storage.bytesFor(cols);
        this.parts = List.copyOf(parts);
        long b = 0;
        for (Part p : parts) b += p.allocation().size();
        this.bytes = b;
    }

    /** The single part of a vector weight (vectors never split: they are far below any binding limit). */
    Binding vector() {
        if (storage != GgmlType.F32) throw new IllegalArgumentException(name + " is a " + type + " matrix, not a vector of scales or biases");
        if (parts.size() != 1) throw new IllegalStateException(name + " spans " + parts.size() + " buffers");
        return parts.getFirst().binding();
    }

    static VulkanWeights of(DeviceWeights w, VulkanBackend backend, String role) {
        if (w instanceof VulkanWeights v && v.owner == backend) return v;
        throw new IllegalArgumentException(role + " was not uploaded to this Vulkan backend");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public GgmlType type() {
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
    public long bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return name + " " + type + " " + rows + "x" + cols + (parts.size() > 1 ? " in " + parts.size() + " parts" : "");
    }
}
