package dev.koboldj.vulkan;

import static org.lwjgl.vulkan.VK10.*;

import org.lwjgl.vulkan.VkCommandBuffer;

/**
 * What one stream records and submits with: a command pool with one primary command buffer, a fence, host rings for
 * uploads and readbacks, and descriptor pools. A closed stream hands them back to its backend, so the next stream
 * (one per forward pass) reuses them instead of allocating memory and pools again.
 */
final class StreamResources implements AutoCloseable {
    private final VulkanDevice device;
    final long commandPool;
    final VkCommandBuffer commands;
    final long fence;
    final HostRing uploads;
    final HostRing readbacks;
    final DescriptorArena descriptors;

    StreamResources(VulkanDevice device, long alignment) {
        this.device = device;
        this.commandPool = device.createCommandPool(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT);
        this.commands = device.allocateCommandBuffer(commandPool);
        this.fence = device.createFence();
        int hostVisible = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
        this.uploads = new HostRing(device, hostVisible, 0, alignment);
        this.readbacks = new HostRing(device, hostVisible, VK_MEMORY_PROPERTY_HOST_CACHED_BIT, alignment);
        this.descriptors = new DescriptorArena(device);
    }

    /** Forgets everything recorded (the command buffer is not pending: its submission was waited for or never made). */
    void reset() {
        vkResetCommandBuffer(commands, 0);
        descriptors.reset();
        uploads.reset();
        readbacks.reset();
    }

    @Override
    public void close() {
        descriptors.close();
        uploads.close();
        readbacks.close();
        vkDestroyFence(device.handle, fence, null);
        vkDestroyCommandPool(device.handle, commandPool, null);
    }
}
