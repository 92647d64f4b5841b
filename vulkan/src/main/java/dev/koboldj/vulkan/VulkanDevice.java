package dev.koboldj.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.KHRCooperativeMatrix.VK_KHR_COOPERATIVE_MATRIX_EXTENSION_NAME;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkPhysicalDeviceCooperativeMatrixFeaturesKHR;
import org.lwjgl.vulkan.VkPhysicalDeviceFeatures2;
import org.lwjgl.vulkan.VkPhysicalDeviceMemoryProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceShaderFloat16Int8Features;
import org.lwjgl.vulkan.VkPhysicalDeviceSubgroupSizeControlFeatures;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkanMemoryModelFeatures;
import org.lwjgl.vulkan.VkQueue;
import org.lwjgl.vulkan.VkSubmitInfo;

/**
 * The logical device with one compute queue. Queue submissions are serialised by {@link #submit}; memory types are
 * chosen here. The plain shaders need no optional feature (weights are read as 32-bit words); cooperative-matrix
 * shaders need float16 arithmetic, the Vulkan memory model and full subgroups, enabled only when {@code coopmat}.
 */
final class VulkanDevice implements AutoCloseable {
    static final String PORTABILITY_SUBSET = "VK_KHR_portability_subset";

    final DeviceInfo info;
    final VkDevice handle;
    final VkQueue queue;
    final boolean coopmat;
    private final VkPhysicalDeviceMemoryProperties memory;
    private final Object queueLock = new Object();
    private final long oneShotPool;
    /** Guards the one-shot command pool (command pools are externally synchronised). */
    private final Object oneShotLock = new Object();

    VulkanDevice(DeviceInfo info, boolean useCoopmat) {
        this.info = info;
        this.coopmat = useCoopmat && info.coopmat16;
        try (MemoryStack stack = stackPush()) {
            VkDeviceQueueCreateInfo.Buffer queues = VkDeviceQueueCreateInfo.calloc(1, stack);
            queues.get(0).sType$Default().queueFamilyIndex(info.queueFamily).pQueuePriorities(stack.floats(1f));
            List<String> exts = new ArrayList<>();
            if (info.extensions.contains(PORTABILITY_SUBSET)) exts.add(PORTABILITY_SUBSET);
            if (coopmat) exts.add(VK_KHR_COOPERATIVE_MATRIX_EXTENSION_NAME);
            PointerBuffer names = stack.mallocPointer(exts.size());
            for (String e : exts) names.put(stack.UTF8(e));
            names.flip();
            VkDeviceCreateInfo ci = VkDeviceCreateInfo.calloc(stack).sType$Default().pQueueCreateInfos(queues).ppEnabledExtensionNames(names);
            if (coopmat) {
                VkPhysicalDeviceSubgroupSizeControlFeatures sizeControl = VkPhysicalDeviceSubgroupSizeControlFeatures.calloc(stack).sType$Default()
                        .subgroupSizeControl(info.subgroupSizeControl).computeFullSubgroups(info.subgroupSizeControl);
                VkPhysicalDeviceVulkanMemoryModelFeatures memoryModel = VkPhysicalDeviceVulkanMemoryModelFeatures.calloc(stack).sType$Default()
                        .vulkanMemoryModel(true).pNext(sizeControl.address());
                VkPhysicalDeviceShaderFloat16Int8Features f16 = VkPhysicalDeviceShaderFloat16Int8Features.calloc(stack).sType$Default()
                        .shaderFloat16(true).pNext(memoryModel.address());
                VkPhysicalDeviceCooperativeMatrixFeaturesKHR coop = VkPhysicalDeviceCooperativeMatrixFeaturesKHR.calloc(stack).sType$Default()
                        .cooperativeMatrix(true).pNext(f16.address());
                VkPhysicalDeviceFeatures2 features = VkPhysicalDeviceFeatures2.calloc(stack).sType$Default().pNext(coop.address());
                ci.pNext(features.address());
            }
            PointerBuffer pp = stack.mallocPointer(1);
            VulkanException.check(vkCreateDevice(info.handle, ci, null, pp), "vkCreateDevice");
            handle = new VkDevice(pp.get(0), info.handle, ci);
            vkGetDeviceQueue(handle, info.queueFamily, 0, pp);
            queue = new VkQueue(pp.get(0), handle);
            memory = VkPhysicalDeviceMemoryProperties.calloc();
            vkGetPhysicalDeviceMemoryProperties(info.handle, memory);
            oneShotPool = createCommandPool(0);
        }
    }

    /**
     * Index of the first memory type allowed by {@code typeBits} that has all {@code required} flags, preferring one
     * that also has {@code preferred}; -1 when none has the required flags.
     */
    int memoryType(int typeBits, int required, int preferred) {
        int fallback = -1;
        for (int i = 0; i < memory.memoryTypeCount(); i++) {
            if ((typeBits & (1 << i)) == 0) continue;
            int flags = memory.memoryTypes(i).propertyFlags();
            if ((flags & required) != required) continue;
            if ((flags & preferred) == preferred) return i;
            if (fallback < 0) fallback = i;
        }
        return fallback;
    }

    int memoryFlags(int type) {
        return memory.memoryTypes(type).propertyFlags();
    }

    long createCommandPool(int flags) {
        try (MemoryStack stack = stackPush()) {
            VkCommandPoolCreateInfo ci = VkCommandPoolCreateInfo.calloc(stack).sType$Default().flags(flags).queueFamilyIndex(info.queueFamily);
            LongBuffer p = stack.mallocLong(1);
            VulkanException.check(vkCreateCommandPool(handle, ci, null, p), "vkCreateCommandPool");
            return p.get(0);
        }
    }

    VkCommandBuffer allocateCommandBuffer(long pool) {
        try (MemoryStack stack = stackPush()) {
            VkCommandBufferAllocateInfo ai = VkCommandBufferAllocateInfo.calloc(stack).sType$Default().commandPool(pool)
                    .level(VK_COMMAND_BUFFER_LEVEL_PRIMARY).commandBufferCount(1);
            PointerBuffer p = stack.mallocPointer(1);
            VulkanException.check(vkAllocateCommandBuffers(handle, ai, p), "vkAllocateCommandBuffers");
            return new VkCommandBuffer(p.get(0), handle);
        }
    }

    long createFence() {
        try (MemoryStack stack = stackPush()) {
            LongBuffer p = stack.mallocLong(1);
            VulkanException.check(vkCreateFence(handle, VkFenceCreateInfo.calloc(stack).sType$Default(), null, p), "vkCreateFence");
            return p.get(0);
        }
    }

    /** Submits one recorded command buffer and waits for it on {@code fence} (which is reset afterwards). */
    void submitAndWait(VkCommandBuffer cb, long fence) {
        try (MemoryStack stack = stackPush()) {
            VkSubmitInfo submit = VkSubmitInfo.calloc(stack).sType$Default().pCommandBuffers(stack.pointers(cb));
            synchronized (queueLock) {
                VulkanException.check(vkQueueSubmit(queue, submit, fence), "vkQueueSubmit");
            }
            VulkanException.check(vkWaitForFences(handle, stack.longs(fence), true, -1L), "vkWaitForFences");
            VulkanException.check(vkResetFences(handle, stack.longs(fence)), "vkResetFences");
        }
    }

    /** Records commands into a one-time command buffer, submits it and waits (uploads at load time). */
    void runOnce(Consumer<VkCommandBuffer> recorder) {
        synchronized (oneShotLock) {
            try (MemoryStack stack = stackPush()) {
                VkCommandBuffer cb = allocateCommandBuffer(oneShotPool);
                long fence = createFence();
                try {
                    VulkanException.check(vkBeginCommandBuffer(cb, VkCommandBufferBeginInfo.calloc(stack).sType$Default()
                            .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT)), "vkBeginCommandBuffer");
                    recorder.accept(cb);
                    VulkanException.check(vkEndCommandBuffer(cb), "vkEndCommandBuffer");
                    submitAndWait(cb, fence);
                } finally {
                    vkDestroyFence(handle, fence, null);
                    vkFreeCommandBuffers(handle, oneShotPool, cb);
                }
            }
        }
    }

    void waitIdle() {
        synchronized (queueLock) {
            vkDeviceWaitIdle(handle);
        }
    }

    @Override
    public void close() {
        waitIdle();
        vkDestroyCommandPool(handle, oneShotPool, null);
        vkDestroyDevice(handle, null);
        memory.free();
    }
}
