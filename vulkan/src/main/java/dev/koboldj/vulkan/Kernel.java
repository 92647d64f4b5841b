package dev.koboldj.vulkan;

import java.util.Map;
import java.util.TreeMap;

/**
 * One compute pipeline variant: a GLSL file, its defines (weight format, tile sizes, op mode), the number of
 * storage-buffer bindings (0..bindings-1, in the order the shader declares them), the push-constant block size,
 * and for cooperative-matrix shaders the Vulkan 1.3 target and a required subgroup size (0 = the device's choice).
 */
record Kernel(String file, Map<String, String> defines, int bindings, int pushBytes, boolean vulkan13, int requiredSubgroupSize) {
    Kernel {
        defines = Map.copyOf(defines);
        if (pushBytes % 4 != 0 || pushBytes > 128) throw new IllegalArgumentException("push constants: " + pushBytes + " bytes");
    }

    Kernel(String file, Map<String, String> defines, int bindings, int pushBytes) {
        this(file, defines, bindings, pushBytes, false, 0);
    }

    @Override
    public String toString() {
        return file + new TreeMap<>(defines);
    }
}
