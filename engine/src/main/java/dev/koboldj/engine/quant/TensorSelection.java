package dev.koboldj.engine.quant;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.TensorInfo;
import java.util.List;
import java.util.Set;

/**
 * Which tensors a model quantization converts, and to what, following llama.cpp's llama-quant.cpp
 * ({@code tensor_allows_quantization}, {@code tensor_type_fallback}).
 *
 * <p>Kept exactly as they are (type and bytes): tensors with fewer than two dimensions once trailing 1s are
 * ignored (norms, biases, scalars), tensors whose name does not end in "weight", norm weights, and the small or
 * sensitive weights llama.cpp never quantizes (positional and token-type embeddings, MoE routers, conv1d kernels,
 * RWKV mixing vectors, T5 relative-position bias, vision position/patch embeddings). Every other tensor, token
 * embeddings and output included, gets the requested type.
 *
 * <p>Fallback when a row (dims[0]) is not a whole number of the target's blocks: Q2_K and Q3_K become Q4_0, Q4_K
 * becomes Q5_0, Q5_K becomes Q5_1, Q6_K becomes Q8_0 (a 32-element format of similar or larger size); if the row is
 * not a multiple of 32 either, F16. For the 32-element targets themselves llama.cpp stops with an error instead;
 * koboldj uses F16 there too.
 */
final class TensorSelection {
    /** Exact names never quantized (llama.cpp: LLM_TENSOR_POS_EMBD and LLM_TENSOR_TOKEN_TYPES). */
    private static final Set<String> KEPT_NAMES = Set.of("position_embd.weight", "token_types.weight");

    /** Name fragments never quantized. */
    private static final List<String> KEPT_FRAGMENTS = List.of(
            "_norm.weight",                 // normalisation weights
            "ffn_gate_inp.weight",          // MoE expert router
            "ffn_gate_tid2eid.weight",      // token-id -> expert-id table
            "altup", "laurel", "per_layer_model_proj",  // tiny Gemma-3n projections
            "ssm_conv1d", "shortconv.conv.weight",      // conv1d kernels
            "indexer.k_proj.weight", "indexer.q_proj.weight",
            "time_mix_first.weight", "time_mix_w0.weight", "time_mix_w1.weight", "time_mix_w2.weight",
            "time_mix_v0.weight", "time_mix_v1.weight", "time_mix_v2.weight", "time_mix_a0.weight",
            "time_mix_a1.weight", "time_mix_a2.weight", "time_mix_g1.weight", "time_mix_g2.weight",
            "time_mix_decay_w1.weight", "time_mix_decay_w2.weight", "time_mix_lerp_fused.weight", // RWKV
            "attn_rel_b.weight",            // T5 relative position bias
            ".position_embd", "sam.pos_embd", "sam.neck.", "sam.net_", ".rel_pos", ".patch_embd", ".patch_merger",
            "a.rvq.codebook", "mm.a.code_embd");

    private TensorSelection() {
    }

    /** ggml_n_dims: the number of dimensions once trailing dimensions of size 1 are dropped (at least 1). */
    static int effectiveRank(TensorInfo t) {
        int n = t.rank();
        while (n > 1 && t.dim(n - 1) == 1) n--;
        return n;
    }

    /** Why the tensor is copied unchanged, or null when it is converted to the target type. */
    static String keepReason(TensorInfo t) {
        String name = t.name();
        if (effectiveRank(t) < 2) return "1-D";
        if (!name.endsWith("weight")) return "not a weight";
        if (KEPT_NAMES.contains(name)) return "kept like llama.cpp";
        for (String f : KEPT_FRAGMENTS) if (name.contains(f)) return f.equals("_norm.weight") ? "norm" : "kept like llama.cpp";
        return null;
    }

    /** The type a row of {@code rowLength} elements is written in when {@code target} is asked for. */
    static GgmlType typeFor(GgmlType target, long rowLength) {
        if (rowLength % target.blockSize == 0) return target;
        GgmlType fallback = switch (target) {
            case Q2_K, Q3_K -> GgmlType.Q4_0;
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            default -> GgmlType.F16;
        };
        return rowLength % fallback.blockSize == 0 ? fallback : GgmlType.F16;
    }
}
