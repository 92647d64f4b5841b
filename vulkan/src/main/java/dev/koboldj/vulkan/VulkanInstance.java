package dev.koboldj.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.EXTDebugUtils.*;
import static org.lwjgl.vulkan.EXTValidationFeatures.*;
import static org.lwjgl.vulkan.KHRPortabilityEnumeration.*;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK11.*;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VK;
import org.lwjgl.vulkan.VK13;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackDataEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCreateInfoEXT;
import org.lwjgl.vulkan.VkExtensionProperties;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkLayerProperties;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkValidationFeaturesEXT;

/**
 * A Vulkan instance, optionally with the Khronos validation layer, synchronisation validation and a debug messenger
 * that records every warning and error into a {@link ValidationLog}; lists the physical devices discrete-first.
 */
final class VulkanInstance implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("koboldj.vulkan");
    static final String VALIDATION_LAYER = "VK_LAYER_KHRONOS_validation";

    private static Throwable loaderFailure;
    private static boolean loaderReady;

    final VkInstance handle;
    final ValidationLog validation;
    /** Whether the validation layer is active (requested and present). */
    final boolean validating;
    private final long messenger;
    private final VkDebugUtilsMessengerCallbackEXT callback;

    /** Loads the Vulkan loader library once per process; throws with the loader's error when it is missing. */
    static synchronized void loadLoader() {
        if (loaderReady) return;
        if (loaderFailure != null) throw new IllegalStateException("no Vulkan loader: " + loaderFailure.getMessage(), loaderFailure);
        try {
            Configuration.VULKAN_EXPLICIT_INIT.set(true);
            VK.create();
            loaderReady = true;
        } catch (Throwable t) {
            loaderFailure = t;
            throw new IllegalStateException("no Vulkan loader: " + t.getMessage(), t);
        }
    }

    VulkanInstance(boolean validationRequested) {
        loadLoader();
        int loaderVersion = VK.getInstanceVersionSupported();
        if (Integer.compareUnsigned(loaderVersion, VK_API_VERSION_1_1) < 0) {
            throw new IllegalStateException("the Vulkan loader supports only Vulkan 1.0; 1.1 is needed");
        }
        this.validation = new ValidationLog();
        try (MemoryStack stack = stackPush()) {
            Set<String> layers = instanceLayers(stack);
            boolean validate = validationRequested && layers.contains(VALIDATION_LAYER);
            if (validationRequested && !validate) {
                LOG.log(System.Logger.Level.WARNING, "Vulkan validation requested but " + VALIDATION_LAYER + " is not installed");
            }
            Set<String> exts = instanceExtensions(null, stack);
            Set<String> layerExts = validate ? instanceExtensions(VALIDATION_LAYER, stack) : Set.of();
            List<String> enable = new ArrayList<>();
            int flags = 0;
            if (exts.contains(VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME)) {
                // MoltenVK (macOS) lists its devices only to instances that accept portability (non-conformant) drivers.
                enable.add(VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME);
                flags |= VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR;
            }
            boolean debugUtils = validate && (exts.contains(VK_EXT_DEBUG_UTILS_EXTENSION_NAME) || layerExts.contains(VK_EXT_DEBUG_UTILS_EXTENSION_NAME));
            boolean features = validate && layerExts.contains(VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
            if (debugUtils) enable.add(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
            if (features) enable.add(VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);

            PointerBuffer extNames = stack.mallocPointer(enable.size());
            for (String e : enable) extNames.put(stack.UTF8(e));
            extNames.flip();
            PointerBuffer layerNames = validate ? stack.pointers(stack.UTF8(VALIDATION_LAYER)) : null;

            VkApplicationInfo app = VkApplicationInfo.calloc(stack).sType$Default()
                    .pApplicationName(stack.UTF8("koboldj")).pEngineName(stack.UTF8("koboldj"))
                    .apiVersion(Integer.compareUnsigned(loaderVersion, VK13.VK_API_VERSION_1_3) >= 0 ? VK13.VK_API_VERSION_1_3 : VK_API_VERSION_1_1);
            VkInstanceCreateInfo ci = VkInstanceCreateInfo.calloc(stack).sType$Default().flags(flags)
                    .pApplicationInfo(app).ppEnabledLayerNames(layerNames).ppEnabledExtensionNames(extNames);

            VkDebugUtilsMessengerCallbackEXT cb = null;
            VkDebugUtilsMessengerCreateInfoEXT dci = null;
            if (debugUtils) {
                ValidationLog log = validation;
                cb = VkDebugUtilsMessengerCallbackEXT.create((severity, types, data, user) -> {
                    String msg = VkDebugUtilsMessengerCallbackDataEXT.create(data).pMessageString();
                    log.record((severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) != 0 ? "error" : "warning", msg);
                    return VK_FALSE;
                });
                dci = VkDebugUtilsMessengerCreateInfoEXT.calloc(stack).sType$Default()
                        .messageSeverity(VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT)
                        .messageType(VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
                                | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT)
                        .pfnUserCallback(cb);
                // Instance chain: create info -> validation features (when present) -> messenger info; the messenger
                // info itself must end the chain (vkCreateDebugUtilsMessengerEXT requires its pNext to be null).
                long next = dci.address();
                if (features) {
                    VkValidationFeaturesEXT vf = VkValidationFeaturesEXT.calloc(stack).sType$Default()
                            .pEnabledValidationFeatures(stack.ints(VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT));
                    vf.pNext(next);
                    next = vf.address();
                }
                ci.pNext(next);
            }
            PointerBuffer pp = stack.mallocPointer(1);
            int r = vkCreateInstance(ci, null, pp);
            if (r != VK_SUCCESS) {
                if (cb != null) cb.free();
                throw new VulkanException("vkCreateInstance", r);
            }
            handle = new VkInstance(pp.get(0), ci);
            long m = VK_NULL_HANDLE;
            if (debugUtils) {
                java.nio.LongBuffer pm = stack.mallocLong(1);
                VulkanException.check(vkCreateDebugUtilsMessengerEXT(handle, dci, null, pm), "vkCreateDebugUtilsMessengerEXT");
                m = pm.get(0);
            }
            messenger = m;
            callback = cb;
            validating = validate && debugUtils;
            if (validationRequested && validate && !features) {
                LOG.log(System.Logger.Level.WARNING, "the validation layer lacks VK_EXT_validation_features: no synchronisation validation");
            }
        }
    }

    private static Set<String> instanceLayers(MemoryStack stack) {
        IntBuffer n = stack.mallocInt(1);
        vkEnumerateInstanceLayerProperties(n, null);
        VkLayerProperties.Buffer props = VkLayerProperties.malloc(n.get(0), stack);
        vkEnumerateInstanceLayerProperties(n, props);
        Set<String> names = new HashSet<>();
        for (VkLayerProperties p : props) names.add(p.layerNameString());
        return names;
    }

    private static Set<String> instanceExtensions(String layer, MemoryStack stack) {
        IntBuffer n = stack.mallocInt(1);
        vkEnumerateInstanceExtensionProperties(layer, n, null);
        VkExtensionProperties.Buffer props = VkExtensionProperties.malloc(n.get(0), stack);
        vkEnumerateInstanceExtensionProperties(layer, n, props);
        Set<String> names = new HashSet<>();
        for (VkExtensionProperties p : props) names.add(p.extensionNameString());
        return names;
    }

    /** Usable devices (Vulkan 1.1 with a compute queue), discrete GPUs first, then integrated, virtual, other, CPU. */
    List<DeviceInfo> devices() {
        try (MemoryStack stack = stackPush()) {
            IntBuffer n = stack.mallocInt(1);
            VulkanException.check(vkEnumeratePhysicalDevices(handle, n, null), "vkEnumeratePhysicalDevices");
            PointerBuffer handles = stack.mallocPointer(n.get(0));
            VulkanException.check(vkEnumeratePhysicalDevices(handle, n, handles), "vkEnumeratePhysicalDevices");
            List<DeviceInfo> list = new ArrayList<>();
            for (int i = 0; i < handles.capacity(); i++) {
                DeviceInfo d = new DeviceInfo(new VkPhysicalDevice(handles.get(i), handle));
                if (d.usable()) list.add(d);
            }
            list.sort(Comparator.comparingInt(DeviceInfo::rank));
            return list;
        }
    }

    @Override
    public void close() {
        if (messenger != VK_NULL_HANDLE) vkDestroyDebugUtilsMessengerEXT(handle, messenger, null);
        vkDestroyInstance(handle, null);
        if (callback != null) callback.free();
    }
}
