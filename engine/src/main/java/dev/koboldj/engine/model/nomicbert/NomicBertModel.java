package dev.koboldj.engine.model.nomicbert;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.backend.Rope;
import dev.koboldj.engine.model.Batch;
import dev.koboldj.engine.model.EncoderModel;
import dev.koboldj.engine.model.ModelWeights;

/**
 * nomic-bert (nomic-embed-text v1/v1.5): BERT's post-norm blocks with a fused QKV projection (split at load into
 * three row ranges), rotary positions (NEOX pairing) instead of a position table, SwiGLU feed-forward
 * {@code down(silu(gate(x)) * up(x))}, and no biases in the projections.
 */
public final class NomicBertModel implements EncoderModel {
    private record Layer(DeviceWeights q, DeviceWeights k, DeviceWeights v, DeviceWeights out, DeviceWeights attnNorm, DeviceWeights attnNormBias,
                         DeviceWeights up, DeviceWeights gate, DeviceWeights down, DeviceWeights outputNorm, DeviceWeights outputNormBias) {
    }

    private final NomicBertConfig config;
    private final Backend backend;
    private final int maxTokens;
    private final DeviceWeights tokenEmbeddings, tokenTypes, embeddingNorm, embeddingNormBias;
    private final Layer[] layers;
    private final Activations ids, positions, typeIds, x, q, k, v, attn, tmp, gate, up;

    public NomicBertModel(ModelWeights w, Backend backend, int maxBatchTokens) {
        this.config = NomicBertConfig.from(w.file().metadata());
        this.backend = backend;
        this.maxTokens = maxBatchTokens;
        int h = config.hiddenSize();
        tokenEmbeddings = w.required("token_embd.weight");
        tokenTypes = w.optional("token_types.weight");
        embeddingNorm = w.required("token_embd_norm.weight");
        embeddingNormBias = w.optional("token_embd_norm.bias");
        layers = new Layer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            String b = "blk." + i + ".";
            String qkv = b + "attn_qkv.weight";
            layers[i] = new Layer(w.rows(qkv, 0, h), w.rows(qkv, h, h), w.rows(qkv, 2 * h, h), w.required(b + "attn_output.weight"),
                    w.required(b + "attn_output_norm.weight"), w.optional(b + "attn_output_norm.bias"),
                    w.required(b + "ffn_up.weight"), w.required(b + "ffn_gate.weight"), w.required(b + "ffn_down.weight"),
                    w.required(b + "layer_output_norm.weight"), w.optional(b + "layer_output_norm.bias"));
        }
        ids = backend.allocate(ElementType.I32, maxTokens, 1);
        positions = backend.allocate(ElementType.I32, maxTokens, 1);
        typeIds = backend.allocate(ElementType.I32, maxTokens, 1);
        x = backend.allocate(ElementType.F32, maxTokens, h);
        q = backend.allocate(ElementType.F32, maxTokens, h);
        k = backend.allocate(ElementType.F32, maxTokens, h);
        v = backend.allocate(ElementType.F32, maxTokens, h);
        attn = backend.allocate(ElementType.F32, maxTokens, h);
        tmp = backend.allocate(ElementType.F32, maxTokens, h);
        gate = backend.allocate(ElementType.F32, maxTokens, config.feedForward());
        up = backend.allocate(ElementType.F32, maxTokens, config.feedForward());
        try (CommandStream s = backend.stream()) {
            s.write(typeIds, new int[maxTokens]);
            s.await();
        }
    }

    @Override
    public String architecture() {
        return NomicBertConfig.ARCH;
    }

    @Override
    public int hiddenSize() {
        return config.hiddenSize();
    }

    @Override
    public int maxPositions() {
        return config.maxPositions();
    }

    @Override
    public int maxBatchTokens() {
        return maxTokens;
    }

    @Override
    public Pooling defaultPooling() {
        return config.pooling();
    }

    @Override
    public Activations forward(Batch batch, CommandStream s) {
        int t = batch.tokenCount();
        if (t > maxTokens) throw new IllegalArgumentException("batch of " + t + " tokens exceeds the budget of " + maxTokens);
        Activations x = this.x.rows(t), q = this.q.rows(t), k = this.k.rows(t), v = this.v.rows(t), attn = this.attn.rows(t), tmp = this.tmp.rows(t);
        Activations gate = this.gate.rows(t), up = this.up.rows(t), pos = positions.rows(t);
        s.write(ids, batch.tokens());
        s.write(positions, batch.positions());
        s.getRows(tokenEmbeddings, ids.rows(t), x);
        if (tokenTypes != null) {
            s.getRows(tokenTypes, typeIds.rows(t), tmp);
            s.add(x, tmp, x);
        }
        s.layerNorm(x, embeddingNorm, embeddingNormBias, config.layerNormEps(), x);
        int d = config.headDim();
        Attention shape = new Attention(config.heads(), config.heads(), d, (float) (1.0 / Math.sqrt(d)), false);
        Rope rope = new Rope(config.heads(), d, d, config.ropeFreqBase(), true);
        for (Layer l : layers) {
            s.matmul(x, l.q, q);
            s.matmul(x, l.k, k);
            s.matmul(x, l.v, v);
            s.rope(q, pos, rope);
            s.rope(k, pos, rope);
            s.attention(q, k, v, batch.layout(), shape, attn);
            s.matmul(attn, l.out, null, Activation.NONE, x, tmp);
            s.layerNorm(tmp, l.attnNorm, l.attnNormBias, config.layerNormEps(), x);
            s.matmul(x, l.gate, gate);
            s.matmul(x, l.up, up);
            s.swiglu(gate, up, gate);
            s.matmul(gate, l.down, null, Activation.NONE, x, tmp);
            s.layerNorm(tmp, l.outputNorm, l.outputNormBias, config.layerNormEps(), x);
        }
        return x;
    }

    @Override
    public void close() {
        for (Activations a : new Activations[]{ids, positions, typeIds, x, q, k, v, attn, tmp, gate, up}) backend.free(a);
    }
}
