package dev.koboldj.vulkan;

import java.nio.file.Path;

/**
 * Settings of the Vulkan backend that are not part of {@link dev.koboldj.engine.backend.BackendOptions}, read from
 * system properties:
 * <ul>
 * <li>{@code koboldj.vulkan.validation=true}: Khronos validation layer with synchronisation validation, every
 *     warning and error recorded (see {@link ValidationLog}).</li>
 * <li>{@code koboldj.vulkan.coopmat=false}: never use cooperative matrices (plain tiled matmul only).</li>
 * <li>{@code koboldj.vulkan.memoryLimit=BYTES}: use at most this much device memory (below the heap size).</li>
 * <li>{@code koboldj.vulkan.shaderCache=DIR|none}: where compiled SPIR-V is kept between runs
 *     (default {@code $XDG_CACHE_HOME/koboldj/spirv} or {@code ~/.cache/koboldj/spirv}).</li>
 * </ul>
 * {@code maxBufferBytes} caps the size of one device buffer below the device's limits (tests use it to split tensors
 * the way hundred-megabyte tensors are split on real GPUs); -1 means the device's own limits.
 */
record VulkanConfig(boolean validation, boolean coopmat, long memoryLimitBytes, long maxBufferBytes, Path shaderCache) {

    static VulkanConfig fromSystemProperties() {
        return new VulkanConfig(Boolean.getBoolean("koboldj.vulkan.validation"),
                !"false".equalsIgnoreCase(System.getProperty("koboldj.vulkan.coopmat")),
                Long.getLong("koboldj.vulkan.memoryLimit", -1L), -1L, defaultShaderCache());
    }

    VulkanConfig withMemoryLimit(long bytes) {
        return new VulkanConfig(validation, coopmat, bytes, maxBufferBytes, shaderCache);
    }

    VulkanConfig withMaxBufferBytes(long bytes) {
        return new VulkanConfig(validation, coopmat, memoryLimitBytes, bytes, shaderCache);
    }

    VulkanConfig withValidation(boolean on) {
        return new VulkanConfig(on, coopmat, memoryLimitBytes, maxBufferBytes, shaderCache);
    }

    /** The SPIR-V cache directory, or null when disabled with {@code koboldj.vulkan.shaderCache=none}. */
    static Path defaultShaderCache() {
        String p = System.getProperty("koboldj.vulkan.shaderCache");
        if (p != null) return "none".equalsIgnoreCase(p) ? null : Path.of(p);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("koboldj").resolve("spirv");
    }
}
