package dev.koboldj.server.cli;

import dev.koboldj.engine.embed.EmbeddingOptions;
import java.util.List;

/**
 * KoboldCPP's backend flags mapped to the engine: {@code --usecpu} is "cpu", {@code --usevulkan [N]} is "vulkan"
 * on device N (the first usable one without N), neither is "auto" (a GPU when one is usable, else the CPU).
 */
public record BackendChoice(String backend, int device) {
    public static BackendChoice of(boolean useCpu, List<Integer> useVulkan) {
        if (useCpu && useVulkan != null) throw new IllegalArgumentException("--usecpu and --usevulkan cannot be used together");
        if (useCpu) return new BackendChoice("cpu", -1);
        if (useVulkan != null) return new BackendChoice("vulkan", useVulkan.isEmpty() ? -1 : useVulkan.getFirst());
        return new BackendChoice("auto", -1);
    }

    public EmbeddingOptions apply(EmbeddingOptions options) {
        return options.withBackend(backend).withDevice(device);
    }
}
