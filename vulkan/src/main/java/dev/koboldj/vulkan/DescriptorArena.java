package dev.koboldj.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkDescriptorPoolCreateInfo;
import org.lwjgl.vulkan.VkDescriptorPoolSize;
import org.lwjgl.vulkan.VkDescriptorSetAllocateInfo;

/**
 * Descriptor sets for one stream's command buffer: one set per dispatch, allocated from pools of
 * {@link #SETS_PER_POOL} sets (a new pool when one is full) and all released at once by {@link #reset()} after the
 * submission completed.
 */
final class DescriptorArena implements AutoCloseable {
    static final int SETS_PER_POOL = 512;
    static final int MAX_BINDINGS = 8;

    private final VulkanDevice device;
    private final List<Long> pools = new ArrayList<>();
    private int current;

    DescriptorArena(VulkanDevice device) {
        this.device = device;
    }

    long allocate(long setLayout) {
        try (MemoryStack stack = stackPush()) {
            LongBuffer out = stack.mallocLong(1);
            while (true) {
                if (current == pools.size()) pools.add(createPool(stack));
                VkDescriptorSetAllocateInfo ai = VkDescriptorSetAllocateInfo.calloc(stack).sType$Default()
                        .descriptorPool(pools.get(current)).pSetLayouts(stack.longs(setLayout));
                int r = vkAllocateDescriptorSets(device.handle, ai, out);
                if (r == VK_SUCCESS) return out.get(0);
                if (r != VK_ERROR_FRAGMENTED_POOL && r != org.lwjgl.vulkan.VK11.VK_ERROR_OUT_OF_POOL_MEMORY) {
                    throw new VulkanException("vkAllocateDescriptorSets", r);
                }
                current++;
            }
        }
    }

    private long createPool(MemoryStack stack) {
        VkDescriptorPoolSize.Buffer sizes = VkDescriptorPoolSize.calloc(1, stack);
        sizes.get(0).type(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(SETS_PER_POOL * MAX_BINDINGS);
        VkDescriptorPoolCreateInfo ci = VkDescriptorPoolCreateInfo.calloc(stack).sType$Default().maxSets(SETS_PER_POOL).pPoolSizes(sizes);
        LongBuffer p = stack.mallocLong(1);
        VulkanException.check(vkCreateDescriptorPool(device.handle, ci, null, p), "vkCreateDescriptorPool");
        return p.get(0);
    }

    void reset() {
        for (long pool : pools) vkResetDescriptorPool(device.handle, pool, 0);
        current = 0;
    }

    @Override
    public void close() {
        for (long pool : pools) vkDestroyDescriptorPool(device.handle, pool, null);
        pools.clear();
    }
}
