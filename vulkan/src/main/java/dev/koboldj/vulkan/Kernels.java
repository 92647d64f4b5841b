package dev.koboldj.vulkan;

import dev.koboldj.engine.gguf.GgmlType;
import java.util.Map;

/** The pipeline variants of every op family: one GLSL source each, variants selected by defines. */
final class Kernels {
    private Kernels() {
    }

    static String formatDefine(GgmlType storage) {
        if (!VulkanBackend.FORMATS.contains(storage)) throw new IllegalArgumentException("no shader decodes " + storage);
        return "W_" + storage.name();
    }

    /** Tiled matmul; {@code tileRows} 4 (64-row tiles, batches) or 1 (16-row tiles, a few rows). */
    static Kernel matmul(GgmlType storage, int tileRows) {
        return new Kernel("matmul.comp", Map.of(formatDefine(storage), "1", "TM", Integer.toString(tileRows)), 5, 32);
    }

    /** Cooperative-matrix matmul (16x16x16 f16 tiles, f32 accumulation) for a subgroup of {@code subgroupSize}. */
    static Kernel matmulCoopmat(GgmlType storage, int subgroupSize, boolean requireSize) {
        return new Kernel("matmul_coopmat.comp", Map.of(formatDefine(storage), "1", "SUBGROUP_SIZE", Integer.toString(subgroupSize)),
                5, 32, true, requireSize ? subgroupSize : 0);
    }

    static Kernel getRows(GgmlType storage) {
        return new Kernel("getrows.comp", Map.of(formatDefine(storage), "1"), 3, 32);
    }

    static final Kernel BINARY = new Kernel("binary.comp", Map.of(), 3, 8);
    static final Kernel NORM = new Kernel("norm.comp", Map.of(), 4, 24);
    static final Kernel ROPE = new Kernel("rope.comp", Map.of(), 3, 28);
    static final Kernel POOL = new Kernel("pool.comp", Map.of(), 3, 12);

    /** Attention for head dimensions up to 64 * dimsPerInvocation. */
    static Kernel attention(int dimsPerInvocation) {
        return new Kernel("attention.comp", Map.of("DPT", Integer.toString(dimsPerInvocation)), 5, 28);
    }
}
