package dev.koboldj.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.BackendOptions;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.MemoryUsage;
import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.quant.Quants;
import dev.koboldj.engine.quant.UnsupportedTensorTypeException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkBufferCopy;
import org.lwjgl.vulkan.VkMemoryBarrier;

/**
 * The Vulkan backend on one device. Weights are uploaded once at load into device-local memory (through a staging
 * buffer unless the memory is host-visible and staging is not forced), split into row parts below the largest
 * storage-buffer binding. Activations come from an arena of device-local slabs. Both are accounted per backend
 * (one backend per model) against the device-local heap, and a request that does not fit throws
 * {@link DeviceMemoryException} with the numbers before the driver is asked.
 */
public final class VulkanBackend implements Backend {
    /** Formats the matmul and getRows shaders decode. */
    static final Set<GgmlType> FORMATS = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
            GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);
    private static final long STAGING_BYTES = 32L << 20;
    private static final long MAX_SLAB = 1L << 30;

    final VulkanConfig config;
    final VulkanInstance instance;
    final VulkanDevice device;
    final Pipelines pipelines;
    final MemoryBudget budget;
    final BufferPool weights;
    final BufferPool activations;
    final long alignment;
    private final boolean forceStaging;
    private final Set<VulkanStream> streams = ConcurrentHashMap.newKeySet();
    /** Resources of closed streams, reused by the next ones. */
    private final ConcurrentLinkedDeque<StreamResources> idle = new ConcurrentLinkedDeque<>();
    private final Object stagingLock = new Object();
    private DeviceBuffer staging;
    /** A small buffer bound to shader bindings an operation does not use (every binding needs a valid buffer). */
    final DeviceActivations unused;
    private volatile boolean closed;
    /** Bytes that went through the staging buffer (the discrete-GPU path); tests check forceStaging with it. */
    final AtomicLong stagedBytes = new AtomicLong();

    /** Opens the device at {@code options.device()} in the discrete-first order (-1: the first). */
    static VulkanBackend open(BackendOptions options, VulkanConfig config) {
        VulkanInstance instance = new VulkanInstance(config.validation());
        try {
            List<DeviceInfo> devices = instance.devices();
            if (devices.isEmpty()) throw new IllegalStateException("no Vulkan 1.1 device with a compute queue");
            int index = options.device() < 0 ? 0 : options.device();
            if (index >= devices.size()) {
                throw new IllegalArgumentException("Vulkan device " + index + " does not exist; devices: " + describe(devices));
            }
            return new VulkanBackend(instance, devices.get(index), options, config);
        } catch (RuntimeException | Error e) {
            instance.close();
            throw e;
        }
    }

    static String describe(List<DeviceInfo> devices) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) out.add("[" + i + "] " + devices.get(i).describe());
        return String.join(", ", out);
    }

    private VulkanBackend(VulkanInstance instance, DeviceInfo info, BackendOptions options, VulkanConfig config) {
        this.instance = instance;
        this.config = config;
        this.forceStaging = options.forceStaging();
        this.device = new VulkanDevice(info, config.coopmat());
        this.pipelines = new Pipelines(device, config.shaderCache());
        long limit = info.deviceLocalHeapBytes;
        if (config.memoryLimitBytes() > 0) limit = Math.min(limit, config.memoryLimitBytes());
        this.budget = new MemoryBudget(limit, info.name);
        this.alignment = Math.max(16, info.minStorageBufferOffsetAlignment);
        long maxSlab = Math.min(Math.min(info.maxStorageBufferRange, info.maxMemoryAllocationSize), MAX_SLAB);
        if (config.maxBufferBytes() > 0) maxSlab = Math.min(maxSlab, config.maxBufferBytes());
        this.weights = new BufferPool(device, budget, budget.weights, maxSlab, alignment, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
        this.activations = new BufferPool(device, budget, budget.activations, maxSlab, alignment, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
        try {
            this.unused = (DeviceActivations) allocate(ElementType.F32, 1, 4);
        } catch (RuntimeException e) {
            activations.close();
            weights.close();
            device.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "vulkan";
    }

    @Override
    public String deviceName() {
        return device.info.name + " (Vulkan" + (device.coopmat ? ", cooperative matrices" : "") + ")";
    }

    /** Validation messages recorded since the last drain (empty unless validation is on). */
    public ValidationLog validationLog() {
        return instance.validation;
    }

    /** Whether the Khronos validation layer checks this backend's calls. */
    public boolean validating() {
        return instance.validating;
    }

    /** Whether matmuls use cooperative matrices (tensor cores) on this device. */
    public boolean cooperativeMatrices() {
        return device.coopmat;
    }

    @Override
    public DeviceWeights upload(WeightTensor weight) {
        ensureOpen();
        GgmlType type = weight.type();
        int rows = weight.rows(), cols = weight.cols();
        boolean vector = weight.dims().length == 1;
        if (!vector && !FORMATS.contains(type)) {
            throw new UnsupportedTensorTypeException(type, "the Vulkan backend cannot compute " + type + " weights (" + weight.name()
                    + "); supported: " + FORMATS);
        }
        GgmlType storage = vector ? GgmlType.F32 : type;
        MemorySegment bytes = weight.data();
        if (vector) {
            float[] decoded = new float[cols];
            Quants.codec(type).dequantize(weight.data(), 0, decoded, 0, cols);
            bytes = MemorySegment.ofArray(decoded);
        }
        long rowBytes = storage.bytesFor(cols);
        if (bytes.byteSize() < rowBytes * rows) {
            throw new IllegalArgumentException(weight.name() + ": " + bytes.byteSize() + " bytes for " + rows + " rows of " + rowBytes);
        }
        long perPart = weights.maxAllocation() / rowBytes;
        if (perPart == 0) throw new IllegalArgumentException(weight.name() + ": a row of " + rowBytes + " bytes exceeds the largest device buffer");
        if (rows == 0) throw new IllegalArgumentException(weight.name() + " has no rows");
        List<VulkanWeights.Part> parts = new ArrayList<>();
        try {
            for (int start = 0; start < rows; start += (int) perPart) {
                int n = (int) Math.min(perPart, rows - start);
                Allocation a = weights.allocate(n * rowBytes, "weight " + weight.name() + " (" + type + ", " + MemoryUsage.mib(rows * rowBytes) + ")");
                parts.add(new VulkanWeights.Part(a, start, n));
                write(a, bytes.asSlice(start * rowBytes, n * rowBytes));
            }
        } catch (RuntimeException e) {
            for (VulkanWeights.Part p : parts) weights.free(p.allocation());
            throw e;
        }
        return new VulkanWeights(this, weight.name(), type, storage, rows, cols, parts);
    }

    /** Copies host bytes into an allocation: straight into mapped memory, or through the staging buffer. */
    private void write(Allocation a, MemorySegment src) {
        if (!forceStaging && a.slab().hostVisible()) {
            MemorySegment.copy(src, 0, a.slab().hostView(a.offset(), src.byteSize()), 0, src.byteSize());
            return;
        }
        synchronized (stagingLock) {
            if (staging == null) {
                staging = DeviceBuffer.create(device, STAGING_BYTES, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, 0);
            }
            for (long done = 0; done < src.byteSize(); done += STAGING_BYTES) {
                long n = Math.min(STAGING_BYTES, src.byteSize() - done);
                MemorySegment.copy(src, done, staging.hostView(0, n), 0, n);
                stagedBytes.addAndGet(n);
                long dstOffset = a.offset() + done;
                device.runOnce(cb -> {
                    try (MemoryStack stack = stackPush()) {
                        vkCmdCopyBuffer(cb, staging.buffer, a.slab().buffer, VkBufferCopy.calloc(1, stack).srcOffset(0).dstOffset(dstOffset).size(n));
                        // Make the copy visible to the shaders of every later submission.
                        VkMemoryBarrier.Buffer barrier = VkMemoryBarrier.calloc(1, stack).sType$Default()
                                .srcAccessMask(VK_ACCESS_TRANSFER_WRITE_BIT).dstAccessMask(VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT);
                        vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                                0, barrier, null, null);
                    }
                });
            }
        }
    }

    /** Releases a weight's device memory (model unload); the weight must not be used afterwards. */
    public void free(DeviceWeights weight) {
        for (VulkanWeights.Part p : VulkanWeights.of(weight, this, "weight").parts) weights.free(p.allocation());
    }

    @Override
    public Activations allocate(ElementType type, int rows, int cols) {
        ensureOpen();
        if (rows < 0 || cols <= 0) throw new IllegalArgumentException("buffer of " + rows + "x" + cols);
        long bytes = (long) rows * cols * type.bytes;
        if (bytes > activations.maxAllocation()) {
            throw new IllegalArgumentException("an activation buffer of " + rows + "x" + cols + " (" + MemoryUsage.mib(bytes)
                    + ") exceeds the largest storage buffer of " + device.info.name + " (" + MemoryUsage.mib(activations.maxAllocation())
                    + "); lower the batch-token budget");
        }
        Allocation a = activations.allocate(bytes, "activation buffer " + rows + "x" + cols + " " + type);
        return new DeviceActivations(this, a, type, rows, cols, rows);
    }

    @Override
    public void free(Activations buffer) {
        DeviceActivations d = DeviceActivations.of(buffer, this, null, "buffer");
        activations.free(d.allocation);
    }

    @Override
    public CommandStream stream() {
        ensureOpen();
        StreamResources r = idle.pollFirst();
        VulkanStream s = new VulkanStream(this, r != null ? r : new StreamResources(device, alignment));
        streams.add(s);
        return s;
    }

    /** A closed stream's resources, kept for the next stream (or freed when the backend is closing). */
    void release(VulkanStream s, StreamResources r) {
        streams.remove(s);
        if (closed) r.close();
        else idle.addFirst(r);
    }

    @Override
    public MemoryUsage memory() {
        return new MemoryUsage(budget.weights.get(), budget.activations.get(), budget.limit);
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the Vulkan backend is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        device.waitIdle();
        for (VulkanStream s : List.copyOf(streams)) s.close();
        for (StreamResources r; (r = idle.pollFirst()) != null; ) r.close();
        synchronized (stagingLock) {
            if (staging != null) staging.close();
        }
        pipelines.close();
        weights.close();
        activations.close();
        device.close();
        instance.close();
    }

    @Override
    public String toString() {
        return "VulkanBackend[" + device.info.describe() + "]";
    }
}
