package dev.koboldj.engine.model.qwen3;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.Rope;
import dev.koboldj.engine.model.Batch;
import dev.koboldj.engine.model.EncoderBase;
import dev.koboldj.engine.model.ModelWeights;

/**
 * Qwen2/Qwen3 decoder used as an embedding model (Qwen3-Embedding): pre-norm blocks
 * {@code x += Attn(RMSNorm(x)); x += FFN_swiglu(RMSNorm(x))}, rotary positions (NEOX pairing), grouped-query causal
 * attention, a final RMS norm, and last-token pooling. Qwen3 adds per-head RMS norms on q and k; Qwen2 has q/k/v
 * biases instead. The attention reads keys through a {@link dev.koboldj.engine.backend.SequenceLayout}, so a KV cache
 * can supply longer key ranges without changing the ops.
 */
public final class Qwen3Model extends EncoderBase {
    private record Layer(DeviceWeights attnNorm, DeviceWeights q, DeviceWeights qBias, DeviceWeights k, DeviceWeights kBias,
                         DeviceWeights v, DeviceWeights vBias, DeviceWeights qNorm, DeviceWeights kNorm, DeviceWeights out,
                         DeviceWeights ffnNorm, DeviceWeights gate, DeviceWeights up, DeviceWeights down) {
    }

    private final Qwen3Config config;
    private final DeviceWeights tokenEmbeddings, outputNorm;
    private final Layer[] layers;
    private final Activations ids, positions, x, h, q, k, v, attn, gate, up;

    public Qwen3Model(ModelWeights w, Backend backend, int maxBatchTokens) {
        Qwen3Config config = Qwen3Config.from(w.file().metadata());
        super(backend, config.architecture(), config.hiddenSize(), config.maxPositions(), maxBatchTokens, config.pooling());
        this.config = config;
        tokenEmbeddings = w.required("token_embd.weight");
        outputNorm = w.required("output_norm.weight");
        layers = new Layer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            String b = "blk." + i + ".";
            layers[i] = new Layer(w.required(b + "attn_norm.weight"), w.required(b + "attn_q.weight"), w.optional(b + "attn_q.bias"),
                    w.required(b + "attn_k.weight"), w.optional(b + "attn_k.bias"), w.required(b + "attn_v.weight"), w.optional(b + "attn_v.bias"),
                    w.optional(b + "attn_q_norm.weight"), w.optional(b + "attn_k_norm.weight"), w.required(b + "attn_output.weight"),
                    w.required(b + "ffn_norm.weight"), w.required(b + "ffn_gate.weight"), w.required(b + "ffn_up.weight"), w.required(b + "ffn_down.weight"));
        }
        int qCols = config.heads() * config.headDim(), kvCols = config.kvHeads() * config.headDim();
        ids = buffer(ElementType.I32, 1);
        positions = buffer(ElementType.I32, 1);
        x = buffer(ElementType.F32, config.hiddenSize());
        h = buffer(ElementType.F32, config.hiddenSize());
        q = buffer(ElementType.F32, qCols);
        k = buffer(ElementType.F32, kvCols);
        v = buffer(ElementType.F32, kvCols);
        attn = buffer(ElementType.F32, qCols);
        gate = buffer(ElementType.F32, config.feedForward());
        up = buffer(ElementType.F32, config.feedForward());
    }

    @Override
    public Activations forward(Batch batch, CommandStream s) {
        int t = checkedTokens(batch);
        Activations x = this.x.rows(t), h = this.h.rows(t), q = this.q.rows(t), k = this.k.rows(t), v = this.v.rows(t);
        Activations attn = this.attn.rows(t), gate = this.gate.rows(t), up = this.up.rows(t), pos = positions.rows(t);
        s.write(ids, batch.tokens());
        s.write(positions, batch.positions());
        s.getRows(tokenEmbeddings, ids.rows(t), x);
        int d = config.headDim();
        float eps = config.rmsEps();
        Attention shape = new Attention(config.heads(), config.kvHeads(), d, (float) (1.0 / Math.sqrt(d)), true);
        Rope qRope = new Rope(config.heads(), d, d, config.ropeFreqBase(), true);
        Rope kRope = new Rope(config.kvHeads(), d, d, config.ropeFreqBase(), true);
        for (Layer l : layers) {
            s.rmsNorm(x, l.attnNorm, eps, h);
            s.matmul(h, l.q, l.qBias, Activation.NONE, null, q);
            s.matmul(h, l.k, l.kBias, Activation.NONE, null, k);
            s.matmul(h, l.v, l.vBias, Activation.NONE, null, v);
            if (l.qNorm != null) s.rmsNorm(q, l.qNorm, eps, q);
            if (l.kNorm != null) s.rmsNorm(k, l.kNorm, eps, k);
            s.rope(q, pos, qRope);
            s.rope(k, pos, kRope);
            s.attention(q, k, v, batch.layout(), shape, attn);
            s.matmul(attn, l.out, null, Activation.NONE, x, x);
            s.rmsNorm(x, l.ffnNorm, eps, h);
            s.matmul(h, l.gate, gate);
            s.matmul(h, l.up, up);
            s.swiglu(gate, up, gate);
            s.matmul(gate, l.down, null, Activation.NONE, x, x);
        }
        s.rmsNorm(x, outputNorm, eps, x);
        return x;
    }
}
