package dev.koboldj.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.KHRCooperativeMatrix.*;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK11.*;

import java.nio.IntBuffer;
import java.util.HashSet;
import java.util.Set;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkCooperativeMatrixPropertiesKHR;
import org.lwjgl.vulkan.VkExtensionProperties;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceCooperativeMatrixFeaturesKHR;
import org.lwjgl.vulkan.VkPhysicalDeviceFeatures2;
import org.lwjgl.vulkan.VkPhysicalDeviceLimits;
import org.lwjgl.vulkan.VkPhysicalDeviceMemoryProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties2;
import org.lwjgl.vulkan.VkPhysicalDeviceShaderFloat16Int8Features;
import org.lwjgl.vulkan.VkPhysicalDeviceSubgroupProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceSubgroupSizeControlFeatures;
import org.lwjgl.vulkan.VkPhysicalDeviceSubgroupSizeControlProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkanMemoryModelFeatures;
import org.lwjgl.vulkan.VkQueueFamilyProperties;

/**
 * What the backend needs to know about one physical device: name and type, the limits that shape buffers and
 * dispatches, the device-local heap (the memory a model may use), the compute queue family, and optional features
 * (cooperative matrices with a 16x16x16 f16 -> f32 shape, subgroup size control).
 */
final class DeviceInfo {
    final VkPhysicalDevice handle;
    final String name;
    final int type;
    final int apiVersion;
    final int queueFamily;
    final long maxStorageBufferRange;
    final long minStorageBufferOffsetAlignment;
    final long maxMemoryAllocationSize;
    final int maxComputeSharedMemory;
    final int maxWorkGroupInvocations;
    final int[] maxWorkGroupCount = new int[3];
    final int subgroupSize;
    /** Subgroup operations of the basic class are available in compute shaders (gl_SubgroupID). */
    final boolean subgroupBasicInCompute;
    final long deviceLocalHeapBytes;
    final Set<String> extensions = new HashSet<>();
    /** VK_KHR_cooperative_matrix with a subgroup-scope 16x16x16 float16 x float16 + float32 shape, and the features it needs. */
    final boolean coopmat16;
    final boolean subgroupSizeControl;
    /** Shared memory of matmul_coopmat.comp: two 64 x 40 f16 tiles and a 64 x 64 f32 tile. */
    static final int COOPMAT_SHARED_BYTES = 2 * 64 * 40 * 2 + 64 * 64 * 4;

    DeviceInfo(VkPhysicalDevice handle) {
        this.handle = handle;
        try (MemoryStack stack = stackPush()) {
            VkPhysicalDeviceSubgroupProperties subgroup = VkPhysicalDeviceSubgroupProperties.calloc(stack).sType$Default();
            VkPhysicalDeviceProperties2 props2 = VkPhysicalDeviceProperties2.calloc(stack).sType$Default().pNext(subgroup.address());
            VkPhysicalDeviceSubgroupSizeControlProperties sizeProps = VkPhysicalDeviceSubgroupSizeControlProperties.calloc(stack).sType$Default();
            vkGetPhysicalDeviceProperties2(handle, props2);
            VkPhysicalDeviceProperties p = props2.properties();
            boolean v13 = Integer.compareUnsigned(p.apiVersion(), org.lwjgl.vulkan.VK13.VK_API_VERSION_1_3) >= 0;
            if (v13) {
                VkPhysicalDeviceProperties2 sizes = VkPhysicalDeviceProperties2.calloc(stack).sType$Default().pNext(sizeProps.address());
                vkGetPhysicalDeviceProperties2(handle, sizes);
            }
            VkPhysicalDeviceLimits l = p.limits();
            name = p.deviceNameString();
            type = p.deviceType();
            apiVersion = p.apiVersion();
            maxStorageBufferRange = Integer.toUnsignedLong(l.maxStorageBufferRange());
            minStorageBufferOffsetAlignment = l.minStorageBufferOffsetAlignment();
            maxComputeSharedMemory = l.maxComputeSharedMemorySize();
            maxWorkGroupInvocations = l.maxComputeWorkGroupInvocations();
            for (int i = 0; i < 3; i++) maxWorkGroupCount[i] = l.maxComputeWorkGroupCount(i);
            subgroupSize = subgroup.subgroupSize();
            subgroupBasicInCompute = (subgroup.supportedStages() & VK_SHADER_STAGE_COMPUTE_BIT) != 0
                    && (subgroup.supportedOperations() & VK_SUBGROUP_FEATURE_BASIC_BIT) != 0;

            org.lwjgl.vulkan.VkPhysicalDeviceMaintenance3Properties m3 = org.lwjgl.vulkan.VkPhysicalDeviceMaintenance3Properties.calloc(stack).sType$Default();
            VkPhysicalDeviceProperties2 again = VkPhysicalDeviceProperties2.calloc(stack).sType$Default().pNext(m3.address());
            vkGetPhysicalDeviceProperties2(handle, again);
            maxMemoryAllocationSize = m3.maxMemoryAllocationSize();

            IntBuffer count = stack.mallocInt(1);
            vkEnumerateDeviceExtensionProperties(handle, (String) null, count, null);
            VkExtensionProperties.Buffer exts = VkExtensionProperties.malloc(count.get(0), stack);
            vkEnumerateDeviceExtensionProperties(handle, (String) null, count, exts);
            for (VkExtensionProperties e : exts) extensions.add(e.extensionNameString());

            vkGetPhysicalDeviceQueueFamilyProperties(handle, count, null);
            VkQueueFamilyProperties.Buffer families = VkQueueFamilyProperties.malloc(count.get(0), stack);
            vkGetPhysicalDeviceQueueFamilyProperties(handle, count, families);
            int compute = -1;
            for (int i = 0; i < families.capacity() && compute < 0; i++) {
                if ((families.get(i).queueFlags() & VK_QUEUE_COMPUTE_BIT) != 0) compute = i;
            }
            queueFamily = compute;

            VkPhysicalDeviceMemoryProperties mem = VkPhysicalDeviceMemoryProperties.malloc(stack);
            vkGetPhysicalDeviceMemoryProperties(handle, mem);
            long heap = 0;
            for (int i = 0; i < mem.memoryHeapCount(); i++) {
                if ((mem.memoryHeaps(i).flags() & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0) heap = Math.max(heap, mem.memoryHeaps(i).size());
            }
            deviceLocalHeapBytes = heap;

            boolean scc = false, cm = false;
            if (v13) {
                VkPhysicalDeviceSubgroupSizeControlFeatures sizeControl = VkPhysicalDeviceSubgroupSizeControlFeatures.calloc(stack).sType$Default();
                VkPhysicalDeviceVulkanMemoryModelFeatures memoryModel = VkPhysicalDeviceVulkanMemoryModelFeatures.calloc(stack).sType$Default().pNext(sizeControl.address());
                VkPhysicalDeviceShaderFloat16Int8Features f16 = VkPhysicalDeviceShaderFloat16Int8Features.calloc(stack).sType$Default().pNext(memoryModel.address());
                VkPhysicalDeviceCooperativeMatrixFeaturesKHR coop = VkPhysicalDeviceCooperativeMatrixFeaturesKHR.calloc(stack).sType$Default();
                boolean hasCoop = extensions.contains(VK_KHR_COOPERATIVE_MATRIX_EXTENSION_NAME);
                if (hasCoop) coop.pNext(f16.address());
                VkPhysicalDeviceFeatures2 features = VkPhysicalDeviceFeatures2.calloc(stack).sType$Default().pNext(hasCoop ? coop.address() : f16.address());
                vkGetPhysicalDeviceFeatures2(handle, features);
                scc = sizeControl.subgroupSizeControl() && sizeControl.computeFullSubgroups()
                        && (sizeProps.requiredSubgroupSizeStages() & VK_SHADER_STAGE_COMPUTE_BIT) != 0;
                // matmul_coopmat.comp: 4 subgroups per workgroup, 26 KiB of shared memory, gl_SubgroupID.
                // Four full subgroups of the reported size are pinned with a required subgroup size.
                cm = scc && hasCoop && coop.cooperativeMatrix() && f16.shaderFloat16() && memoryModel.vulkanMemoryModel() && hasShape16(handle, stack)
                        && subgroupBasicInCompute && 4 * subgroupSize <= maxWorkGroupInvocations && maxComputeSharedMemory >= COOPMAT_SHARED_BYTES;
            }
            subgroupSizeControl = scc;
            coopmat16 = cm;
        }
    }

    /** True when the device lists a subgroup-scope 16x16x16 shape with f16 A/B and f32 C/result. */
    private static boolean hasShape16(VkPhysicalDevice pd, MemoryStack stack) {
        if (pd.getCapabilities().vkGetPhysicalDeviceCooperativeMatrixPropertiesKHR == 0) return false;
        IntBuffer n = stack.mallocInt(1);
        if (vkGetPhysicalDeviceCooperativeMatrixPropertiesKHR(pd, n, null) != VK_SUCCESS) return false;
        VkCooperativeMatrixPropertiesKHR.Buffer shapes = VkCooperativeMatrixPropertiesKHR.calloc(n.get(0), stack);
        for (VkCooperativeMatrixPropertiesKHR s : shapes) s.sType$Default();
        if (vkGetPhysicalDeviceCooperativeMatrixPropertiesKHR(pd, n, shapes) != VK_SUCCESS) return false;
        for (VkCooperativeMatrixPropertiesKHR s : shapes) {
            if (s.MSize() == 16 && s.NSize() == 16 && s.KSize() == 16 && s.AType() == VK_COMPONENT_TYPE_FLOAT16_KHR
                    && s.BType() == VK_COMPONENT_TYPE_FLOAT16_KHR && s.CType() == VK_COMPONENT_TYPE_FLOAT32_KHR
                    && s.ResultType() == VK_COMPONENT_TYPE_FLOAT32_KHR && s.scope() == VK_SCOPE_SUBGROUP_KHR) return true;
        }
        return false;
    }

    boolean usable() {
        return queueFamily >= 0 && Integer.compareUnsigned(apiVersion, VK_API_VERSION_1_1) >= 0;
    }

    boolean isCpu() {
        return type == VK_PHYSICAL_DEVICE_TYPE_CPU;
    }

    /** Sort key: discrete GPUs first, then integrated, virtual, other, and CPU devices (lavapipe) last. */
    int rank() {
        return switch (type) {
            case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU -> 0;
            case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU -> 1;
            case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU -> 2;
            case VK_PHYSICAL_DEVICE_TYPE_CPU -> 4;
            default -> 3;
        };
    }

    String typeName() {
        return switch (type) {
            case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU -> "discrete GPU";
            case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU -> "integrated GPU";
            case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU -> "virtual GPU";
            case VK_PHYSICAL_DEVICE_TYPE_CPU -> "CPU";
            default -> "other";
        };
    }

    String describe() {
        return name + " (" + typeName() + ", Vulkan " + VK_API_VERSION_MAJOR(apiVersion) + "." + VK_API_VERSION_MINOR(apiVersion)
                + ", " + dev.koboldj.engine.backend.MemoryUsage.mib(deviceLocalHeapBytes) + " device-local"
                + (coopmat16 ? ", cooperative matrices" : "") + ")";
    }
}
