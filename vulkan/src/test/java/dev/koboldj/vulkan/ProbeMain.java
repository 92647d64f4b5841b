package dev.koboldj.vulkan;

import dev.koboldj.engine.backend.BackendProvider;

/** Prints the Vulkan provider's probe in a fresh JVM (ProviderTest runs it without a loader or a driver). */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        BackendProvider.Probe p = new VulkanProvider().probe();
        System.out.println("available=" + p.available());
        System.out.println("reason=" + p.reason());
    }
}
