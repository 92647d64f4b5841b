package dev.koboldj.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.lang.foreign.MemorySegment;
import java.nio.LongBuffer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkBufferCreateInfo;
import org.lwjgl.vulkan.VkMemoryAllocateInfo;
import org.lwjgl.vulkan.VkMemoryRequirements;

/**
 * One VkBuffer bound to its own VkDeviceMemory (storage, transfer source and destination), persistently mapped when
 * its memory type is host-visible. Pools suballocate these; staging rings use them whole.
 */
final class DeviceBuffer implements AutoCloseable {
    private final VulkanDevice device;
    final long buffer;
    final long memory;
    final long size;
    /** Host address of the mapped memory, 0 when the memory is not host-visible. */
    final long mapped;
    final int memoryFlags;

    private DeviceBuffer(VulkanDevice device, long buffer, long memory, long size, long mapped, int memoryFlags) {
        this.device = device;
        this.buffer = buffer;
        this.memory = memory;
        this.size = size;
        this.mapped = mapped;
        this.memoryFlags = memoryFlags;
    }

    /**
     * Creates a buffer of {@code size} bytes in the first memory type with {@code required} flags (preferring
     * {@code preferred}); throws {@link VulkanException} with VK_ERROR_OUT_OF_DEVICE_MEMORY when the driver refuses.
     */
    static DeviceBuffer create(VulkanDevice device, long size, int required, int preferred) {
        try (MemoryStack stack = stackPush()) {
            VkBufferCreateInfo bi = VkBufferCreateInfo.calloc(stack).sType$Default().size(size)
                    .usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT)
                    .sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            LongBuffer lp = stack.mallocLong(1);
            VulkanException.check(vkCreateBuffer(device.handle, bi, null, lp), "vkCreateBuffer");
            long buffer = lp.get(0);
            long memory = VK_NULL_HANDLE;
            try {
                VkMemoryRequirements req = VkMemoryRequirements.malloc(stack);
                vkGetBufferMemoryRequirements(device.handle, buffer, req);
                int type = device.memoryType(req.memoryTypeBits(), required, preferred);
                if (type < 0) throw new IllegalStateException("no memory type with flags 0x" + Integer.toHexString(required) + " for buffers");
                VkMemoryAllocateInfo ai = VkMemoryAllocateInfo.calloc(stack).sType$Default().allocationSize(req.size()).memoryTypeIndex(type);
                VulkanException.check(vkAllocateMemory(device.handle, ai, null, lp), "vkAllocateMemory(" + req.size() + " bytes)");
                memory = lp.get(0);
                VulkanException.check(vkBindBufferMemory(device.handle, buffer, memory, 0), "vkBindBufferMemory");
                int flags = device.memoryFlags(type);
                long mapped = 0;
                if ((flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) != 0) {
                    PointerBuffer pp = stack.mallocPointer(1);
                    VulkanException.check(vkMapMemory(device.handle, memory, 0, VK_WHOLE_SIZE, 0, pp), "vkMapMemory");
                    mapped = pp.get(0);
                }
                return new DeviceBuffer(device, buffer, memory, size, mapped, flags);
            } catch (RuntimeException e) {
                if (memory != VK_NULL_HANDLE) vkFreeMemory(device.handle, memory, null);
                vkDestroyBuffer(device.handle, buffer, null);
                throw e;
            }
        }
    }

    boolean hostVisible() {
        return mapped != 0;
    }

    /** The mapped bytes [offset, offset + length) as a segment (host-visible buffers only). */
    MemorySegment hostView(long offset, long length) {
        if (mapped == 0) throw new IllegalStateException("buffer memory is not host-visible");
        if (offset < 0 || length < 0 || offset + length > size) throw new IndexOutOfBoundsException(offset + "+" + length + " of " + size);
        return MemorySegment.ofAddress(mapped + offset).reinterpret(length);
    }

    @Override
    public void close() {
        if (mapped != 0) vkUnmapMemory(device.handle, memory);
        vkDestroyBuffer(device.handle, buffer, null);
        vkFreeMemory(device.handle, memory, null);
    }
}
