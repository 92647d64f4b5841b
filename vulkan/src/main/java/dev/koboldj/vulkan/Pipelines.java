package dev.koboldj.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK13.VK_PIPELINE_SHADER_STAGE_CREATE_REQUIRE_FULL_SUBGROUPS_BIT;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkComputePipelineCreateInfo;
import org.lwjgl.vulkan.VkDescriptorSetLayoutBinding;
import org.lwjgl.vulkan.VkDescriptorSetLayoutCreateInfo;
import org.lwjgl.vulkan.VkPipelineLayoutCreateInfo;
import org.lwjgl.vulkan.VkPipelineShaderStageCreateInfo;
import org.lwjgl.vulkan.VkPipelineShaderStageRequiredSubgroupSizeCreateInfo;
import org.lwjgl.vulkan.VkPushConstantRange;
import org.lwjgl.vulkan.VkShaderModuleCreateInfo;

/** Compute pipelines of one device, created at first use per {@link Kernel} and kept until the backend closes. */
final class Pipelines implements AutoCloseable {
    /** A pipeline with its layouts: one descriptor set of {@code bindings} storage buffers, push constants. */
    record Pipeline(Kernel kernel, long setLayout, long layout, long handle) {
    }

    private final VulkanDevice device;
    private final Path shaderCache;
    private final Map<Kernel, Pipeline> pipelines = new ConcurrentHashMap<>();

    Pipelines(VulkanDevice device, Path shaderCache) {
        this.device = device;
        this.shaderCache = shaderCache;
    }

    Pipeline get(Kernel kernel) {
        return pipelines.computeIfAbsent(kernel, this::create);
    }

    private Pipeline create(Kernel k) {
        byte[] spv = ShaderCompiler.compile(k.file(), k.defines(), k.vulkan13(), shaderCache);
        try (MemoryStack stack = stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            VkDescriptorSetLayoutBinding.Buffer bindings = VkDescriptorSetLayoutBinding.calloc(k.bindings(), stack);
            for (int i = 0; i < k.bindings(); i++) {
                bindings.get(i).binding(i).descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(1).stageFlags(VK_SHADER_STAGE_COMPUTE_BIT);
            }
            VulkanException.check(vkCreateDescriptorSetLayout(device.handle,
                    VkDescriptorSetLayoutCreateInfo.calloc(stack).sType$Default().pBindings(bindings), null, lp), "vkCreateDescriptorSetLayout");
            long setLayout = lp.get(0);
            VkPipelineLayoutCreateInfo li = VkPipelineLayoutCreateInfo.calloc(stack).sType$Default().pSetLayouts(stack.longs(setLayout));
            if (k.pushBytes() > 0) {
                li.pPushConstantRanges(VkPushConstantRange.calloc(1, stack).stageFlags(VK_SHADER_STAGE_COMPUTE_BIT).offset(0).size(k.pushBytes()));
            }
            VulkanException.check(vkCreatePipelineLayout(device.handle, li, null, lp), "vkCreatePipelineLayout");
            long layout = lp.get(0);

            ByteBuffer code = stack.malloc(spv.length);
            code.put(spv).flip();
            VulkanException.check(vkCreateShaderModule(device.handle, VkShaderModuleCreateInfo.calloc(stack).sType$Default().pCode(code), null, lp),
                    "vkCreateShaderModule(" + k + ")");
            long module = lp.get(0);
            try {
                VkPipelineShaderStageCreateInfo stage = VkPipelineShaderStageCreateInfo.calloc(stack).sType$Default()
                        .stage(VK_SHADER_STAGE_COMPUTE_BIT).module(module).pName(stack.UTF8("main"));
                if (k.requiredSubgroupSize() > 0) {
                    VkPipelineShaderStageRequiredSubgroupSizeCreateInfo size = VkPipelineShaderStageRequiredSubgroupSizeCreateInfo.calloc(stack).sType$Default();
                    // LWJGL 3.3.6 generates no setter for this field.
                    org.lwjgl.system.MemoryUtil.memPutInt(size.address() + VkPipelineShaderStageRequiredSubgroupSizeCreateInfo.REQUIREDSUBGROUPSIZE, k.requiredSubgroupSize());
                    stage.pNext(size.address()).flags(VK_PIPELINE_SHADER_STAGE_CREATE_REQUIRE_FULL_SUBGROUPS_BIT);
                }
                VkComputePipelineCreateInfo.Buffer ci = VkComputePipelineCreateInfo.calloc(1, stack);
                ci.get(0).sType$Default().stage(stage).layout(layout);
                VulkanException.check(vkCreateComputePipelines(device.handle, VK_NULL_HANDLE, ci, null, lp), "vkCreateComputePipelines(" + k + ")");
                return new Pipeline(k, setLayout, layout, lp.get(0));
            } finally {
                vkDestroyShaderModule(device.handle, module, null);
            }
        }
    }

    @Override
    public void close() {
        for (Pipeline p : pipelines.values()) {
            vkDestroyPipeline(device.handle, p.handle(), null);
            vkDestroyPipelineLayout(device.handle, p.layout(), null);
            vkDestroyDescriptorSetLayout(device.handle, p.setLayout(), null);
        }
        pipelines.clear();
    }
}
