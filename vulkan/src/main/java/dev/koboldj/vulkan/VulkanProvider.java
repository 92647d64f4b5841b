package dev.koboldj.vulkan;

import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.BackendOptions;
import dev.koboldj.engine.backend.BackendProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the Vulkan backend with {@link java.util.ServiceLoader}. {@link #probe()} lists the devices in the
 * order {@code BackendOptions.device} indexes them (discrete GPUs first); it reports the backend unavailable, with the
 * reason, when there is no Vulkan loader, no driver or no device. Automatic selection prefers Vulkan over the CPU
 * only when a real GPU is present: a CPU implementation of Vulkan (Mesa's lavapipe) is usable when asked for by
 * name, but slower than the CPU backend, so with only such devices {@link #priority()} ranks below the CPU.
 */
public final class VulkanProvider implements BackendProvider {
    /** Priority with a GPU present: above the CPU backend's 0. */
    public static final int GPU_PRIORITY = 100;

    private static volatile Probe cached;
    private static volatile boolean hasGpu;

    @Override
    public String name() {
        return "vulkan";
    }

    @Override
    public int priority() {
        probe();
        return hasGpu ? GPU_PRIORITY : -1;
    }

    /** Looks for devices once per process (creating and destroying an instance); never throws. */
    @Override
    public Probe probe() {
        Probe p = cached;
        if (p == null) {
            synchronized (VulkanProvider.class) {
                if (cached == null) cached = look();
                p = cached;
            }
        }
        return p;
    }

    private static Probe look() {
        try (VulkanInstance instance = new VulkanInstance(false)) {
            List<DeviceInfo> devices = instance.devices();
            if (devices.isEmpty()) return new Probe(false, "no Vulkan device (is a Vulkan driver installed?)", List.of());
            List<String> names = new ArrayList<>();
            boolean gpu = false;
            for (int i = 0; i < devices.size(); i++) {
                names.add("[" + i + "] " + devices.get(i).describe());
                gpu |= !devices.get(i).isCpu();
            }
            hasGpu = gpu;
            return new Probe(true, gpu ? "" : "only CPU implementations of Vulkan", List.copyOf(names));
        } catch (VulkanException e) {
            if (e.result() == org.lwjgl.vulkan.VK10.VK_ERROR_INCOMPATIBLE_DRIVER) {
                return new Probe(false, "no Vulkan driver (the loader found none that can create an instance)", List.of());
            }
            return new Probe(false, "Vulkan is not usable: " + e.getMessage(), List.of());
        } catch (Throwable t) {
            String why = t.getMessage() != null ? t.getMessage() : t.toString();
            return new Probe(false, why.startsWith("no Vulkan") ? why : "Vulkan is not usable: " + why, List.of());
        }
    }

    @Override
    public Backend open(BackendOptions options) {
        return VulkanBackend.open(options, VulkanConfig.fromSystemProperties());
    }
}
